# Part of Ordo.
from . import main
