/* global window, document */
// Runs before first paint (a blocking classic script, allowed by the panel's CSP unlike inline
// code) so a dark theme never flashes white. Mirrors src/lib/state/theme.ts, which takes over.
(function () {
  var choice = 'auto';
  try {
    choice = localStorage.getItem('ordo.theme') || 'auto';
  } catch {
    // Storage can be refused (private browsing): fall back to the system preference.
  }
  var dark =
    choice === 'dark' ||
    (choice !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();
