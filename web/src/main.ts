/**
 * Entry point. The language and theme are settled before <gf-app> is created so its first render is already in
 * the right language and colours, without a flash of English or of the light theme.
 * @module
 */
import './theme/tokens.css';
import './theme/base.css';
import './app/gf-app.js';
import { browserLanguage, initI18n } from './i18n/i18n.js';
import { initTheme } from './theme/theme.js';

async function start(): Promise<void> {
  initTheme();
  await initI18n(browserLanguage());
  document.body.append(document.createElement('gf-app'));
}

void start();
