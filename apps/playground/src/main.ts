import './style.css';
import { startApp } from './app';

/** Shows any error the page did not handle instead of leaving it blank. */
function report(message: string): void {
  const banner = document.getElementById('banner');
  if (!banner) return;
  banner.hidden = false;
  banner.textContent = `Unexpected error: ${message}`;
}
window.addEventListener('error', (event) => {
  // Chromium reports a harmless notice when a resize observer's work spans two frames.
  if (/^ResizeObserver loop/.test(event.message)) return;
  report(event.message);
});
window.addEventListener('unhandledrejection', (event) => report(String(event.reason)));

try {
  startApp();
} catch (error) {
  report(error instanceof Error ? error.message : String(error));
}
