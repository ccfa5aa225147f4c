import { render } from 'solid-js/web';

render(() => <main><h1>Integration Packs</h1></main>, document.getElementById('root')!);
