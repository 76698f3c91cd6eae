// Back-channel logout through the outbox (SSO-2, issue 13): telling a system that a user left is a
// row written when the logout happens, delivered by the outbox worker with its lease, retries and
// backoff, so a system that is down when the user leaves is told when it is back. oidc-provider
// sends back-channel logout itself (once, inline) from its end-session endpoint and from nowhere
// else we can hook; so each provider's Client.backchannelLogout is replaced by "enqueue", and the
// worker calls the library's own sender, which signs a fresh logout token at delivery time.
import type Provider from 'oidc-provider';
import type { Deps } from '../platform/deps.ts';
import { enqueueBackchannelLogout, type BackchannelSender } from '../platform/outbox.ts';

type SendLogout = (this: LogoutClient, sub: string, sid: string) => Promise<void>;
type LogoutClient = { clientId: string; backchannelLogoutUri?: string; backchannelLogout: SendLogout };

const librarySenders = new WeakMap<Provider, SendLogout>();

/** Makes `provider` enqueue its back-channel logouts instead of sending them. */
export function routeBackchannelThroughOutbox(provider: Provider, deps: Deps): void {
  const proto = (provider.Client as unknown as { prototype: LogoutClient }).prototype;
  librarySenders.set(provider, proto.backchannelLogout);
  proto.backchannelLogout = async function (this: LogoutClient, sub: string, sid: string) {
    await enqueueBackchannelLogout(deps.db, deps.clock.now(), { clientId: this.clientId, sub, sid: sid ?? '' });
  };
}

/** The outbox's sender for back-channel rows: the current provider's own delivery. */
export function backchannelSender(currentProvider: () => Promise<Provider>): BackchannelSender {
  return {
    async send({ recipient, body }) {
      const provider = await currentProvider();
      const client = await provider.Client.find(recipient).catch(() => undefined) as unknown as LogoutClient | undefined;
      // A system removed or no longer listening since: nobody to tell.
      if (!client?.backchannelLogoutUri) return;
      const { sub, sid } = JSON.parse(body) as { sub: string; sid: string };
      await librarySenders.get(provider)!.call(client, sub, sid);
    },
    close() {},
  };
}
