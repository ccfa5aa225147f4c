/**
 * Connection slots of each account, counted per person and per role from the moment an upgrade is
 * accepted until its socket closes: at most `maxConnectionsPerAccount` in all, `maxConnectionsPerPerson`
 * per person, and `maxViewerConnectionsPerAccount` for viewers, so the rest is always there for admins.
 */
import type { Session } from '../auth.ts';
import type { Limits } from '../config.ts';

type SlotLimits = Pick<Limits, 'maxConnectionsPerAccount' | 'maxConnectionsPerPerson' | 'maxViewerConnectionsPerAccount'>;

interface AccountSlots {
  total: number;
  viewers: number;
  byPerson: Map<string, number>;
}

export type SlotGrant = { ok: true; release: () => void } | { ok: false; message: string };

export class ConnectionSlots {
  private readonly accounts = new Map<string, AccountSlots>();

  constructor(private readonly limits: SlotLimits) {}

  take(session: Session): SlotGrant {
    const { limits } = this;
    let slots = this.accounts.get(session.accountId);
    if (!slots) this.accounts.set(session.accountId, (slots = { total: 0, viewers: 0, byPerson: new Map() }));
    const mine = slots.byPerson.get(session.personId) ?? 0;
    const viewer = session.role === 'viewer';
    if (slots.total >= limits.maxConnectionsPerAccount)
      return { ok: false, message: `This account already has ${limits.maxConnectionsPerAccount} open connections.` };
    if (mine >= limits.maxConnectionsPerPerson)
      return {
        ok: false,
        message: `You already have ${limits.maxConnectionsPerPerson} open connections to this account; close some tabs.`,
      };
    if (viewer && slots.viewers >= limits.maxViewerConnectionsPerAccount)
      return { ok: false, message: `This account already has ${limits.maxViewerConnectionsPerAccount} viewers connected.` };
    slots.total++;
    if (viewer) slots.viewers++;
    slots.byPerson.set(session.personId, mine + 1);
    let released = false;
    const account = slots;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        account.total--;
        if (viewer) account.viewers--;
        const left = (account.byPerson.get(session.personId) ?? 1) - 1;
        if (left > 0) account.byPerson.set(session.personId, left);
        else account.byPerson.delete(session.personId);
        if (account.total === 0) this.accounts.delete(session.accountId);
      },
    };
  }

  /** Slots taken now (tests). */
  count(accountId: string): number {
    return this.accounts.get(accountId)?.total ?? 0;
  }
}
