/**
 * Child process hosting the local PostHog-compatible server, so its request decoding (gunzip, JSON.parse)
 * never runs on the event loop of the SDK being measured. Controlled over IPC by lib/server.mjs.
 */
import { distUrl } from './dist.mjs';
import { bareEventJson } from './event.mjs';
import { createFloorSender } from './floor.mjs';
import { countsOf } from './server.mjs';

const { startLocalPostHog } = await import(distUrl('testing.js'));

const server = await startLocalPostHog({ recordEvents: false });

const snapshot = () => countsOf(server);

process.on('message', async (msg) => {
  const reply = (payload) => process.send({ id: msg.id, ...payload });
  try {
    switch (msg.op) {
      case 'counts':
        reply({ counts: snapshot() });
        break;
      case 'setFaults':
        server.setFaults(msg.faults);
        reply({});
        break;
      case 'warm': {
        // The server process is fresh for every measurement; a cold JIT in its request path would bound the
        // first thousands of events for every contender alike. It warms itself here, from its own process, so
        // the measured client's code stays as cold as it would be in an application.
        const sender = createFloorSender(server.url);
        for (let i = 0; i < msg.events; i++) sender.push(bareEventJson(i));
        await sender.drain();
        sender.close();
        server.clear();
        reply({});
        break;
      }
      case 'clear':
        server.clear();
        reply({});
        break;
      case 'waitForEvents':
        await server.waitForEvents(msg.n, { timeoutMs: msg.timeoutMs });
        reply({ counts: snapshot() });
        break;
      case 'stop':
        await server.stop();
        reply({});
        process.disconnect();
        break;
      default:
        reply({ error: `unknown op ${msg.op}` });
    }
  } catch (error) {
    reply({ error: error instanceof Error ? error.message : String(error), counts: snapshot() });
  }
});

process.send({ id: 0, url: server.url });

// If the measuring process dies, do not linger as an orphan holding a port.
process.on('disconnect', () => process.exit(0));
