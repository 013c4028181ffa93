import { mount } from 'svelte';
import App from './App.svelte';
import { handleLoadSession } from './lib/features/auth/actions';
import { router } from './lib/state/router.svelte';
import { themeManager } from './lib/state/theme.svelte';
import './styles/app.css';

themeManager.init();
router.init();
void handleLoadSession();

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks the #app element the panel mounts into');

mount(App, { target });
