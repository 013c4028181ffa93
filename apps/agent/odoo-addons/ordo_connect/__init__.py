# Part of Ordo.
from . import controllers
