/**
 * Every HTTP API route, one file each. To add one: write `http/<name>.ts` exporting
 * `defineRoute({ … })` and add it to this list (one line). See route.ts.
 */
import { commands } from './commands.ts';
import { componentVersions } from './component-versions.ts';
import { components } from './components.ts';
import { docSize } from './doc-size.ts';
import { health } from './health.ts';
import { history } from './history.ts';
import { managed } from './managed.ts';
import { me } from './me.ts';
import type { AnyRoute } from './route.ts';
import { rollout } from './rollout.ts';
import { summary } from './summary.ts';
import { restRoutes } from '../rest/routes.ts';

export const apiRoutes: AnyRoute[] = [
  health,
  me,
  commands,
  components,
  componentVersions,
  docSize,
  summary,
  managed,
  history,
  rollout,
  ...restRoutes,
];
