import { render } from 'solid-js/web';
import { App } from './App.tsx';
import './styles.css';

const root = document.getElementById('root')!;
root.textContent = ''; // the shell's "Loading…" (index.html)
render(() => <App />, root);
