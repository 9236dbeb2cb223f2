// The line every panel shows about the language server, with the action its state calls for.
import { h } from './dom';
import { post } from './host';
import type { ServerView } from './messages';

const labels: Record<ServerView['state'], string> = {
  starting: 'The Sightline server is starting…',
  running: 'The Sightline server is running.',
  stopped: 'The Sightline server is stopped.',
  crashed: 'The Sightline server crashed.',
};

export function serverLine(server: ServerView): HTMLElement {
  const broken = server.state === 'crashed' || server.state === 'stopped';
  return h(
    'p',
    { className: broken ? 'server server-broken' : 'server', role: 'status' },
    labels[server.state],
    server.summary ? ` ${server.summary}` : undefined,
    broken && h('button', { onClick: () => post({ type: 'runCommand', command: 'sightline.restartServer' }) }, 'Restart server'),
    h('button', { className: 'link', onClick: () => post({ type: 'runCommand', command: 'sightline.showOutput' }) }, 'Show output'),
  );
}
