/** A person's initials on their presence colour; the name is the tooltip and the accessible text. */
import { initials } from '../format.ts';

export function Avatar(props: { name: string; color: string; small?: boolean }) {
  return (
    <span
      class={props.small ? 'avatar avatar-small' : 'avatar'}
      style={{ 'background-color': props.color }}
      title={props.name}
      aria-hidden="true"
    >
      {initials(props.name)}
    </span>
  );
}
