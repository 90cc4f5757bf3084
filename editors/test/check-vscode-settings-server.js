#!/usr/bin/env node
'use strict';
// The VS Code settings mirror the server's: starts the real server (argv[2]) with every server setting
// of the manifest set to its default, as initializationOptions and in didChangeConfiguration, opens a
// note and fails if the server reports any of them as unknown or invalid. Every plugin the manifest
// describes is sent with its options at their defaults. A made-up setting and a made-up plugin are sent
// too: the server must report both, and the plugins it then lists as known must be the manifest's.
const { spawn } = require('child_process');
const path = require('path');
const fs = require('fs');
const os = require('os');

const server = path.resolve(process.argv[2] || '');
const manifest = require('../vscode/package.json');
const CLIENT_ONLY = new Set(['clinic.serverPath', 'clinic.extraLanguages', 'clinic.trace.server']);
const settings = {};
for (const [key, spec] of Object.entries(manifest.contributes.configuration.properties)) {
  if (CLIENT_ONLY.has(key) || spec.default === null) continue;
  settings[key.slice('clinic.'.length)] = spec.default;
  // Objects whose members the manifest describes get each member at its default.
  if (spec.type === 'object' && spec.properties && key !== 'clinic.plugins') {
    const members = Object.entries(spec.properties).filter(([, member]) => 'default' in member);
    settings[key.slice('clinic.'.length)] = Object.fromEntries(members.map(([name, member]) => [name, member.default]));
  }
}
settings.trace = manifest.contributes.configuration.properties['clinic.trace.server'].default;
const manifestKeys = Object.keys(settings);
const SENTINEL = 'notARealClinicSetting';
const pluginSchema = manifest.contributes.configuration.properties['clinic.plugins'].properties;
settings.plugins = {};
for (const [id, schema] of Object.entries(pluginSchema)) {
  const options = schema.anyOf.find((s) => s.type === 'object').properties;
  settings.plugins[id] = { enabled: true };
  for (const [key, option] of Object.entries(options)) if ('default' in option) settings.plugins[id][key] = option.default;
}

// What the client sends after initializing: the manifest's settings and the made-up ones.
const withSentinels = { ...settings, [SENTINEL]: 1, plugins: { ...settings.plugins, [SENTINEL]: true } };

// The note lives in a folder of its own with an empty project file: the server takes the nearest
// .clinic-lsp.json above a note, and a stray one in /tmp must not change what this check sees.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-settings-check-'));
fs.writeFileSync(path.join(folder, '.clinic-lsp.json'), '{}');
const noteURI = `file://${path.join(folder, 'note.clinic')}`;
process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));

const child = spawn(server, [], { stdio: ['pipe', 'pipe', 'pipe'], cwd: path.resolve(__dirname, '../..') });
const messages = [];
let buffer = Buffer.alloc(0);
let id = 0;
let finished = false;
let verdictDue = false;
const send = (message) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
  child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
};
const finish = (failures) => {
  if (finished) return;
  finished = true;
  for (const f of failures) console.log(`not ok - ${f}`);
  if (!failures.length) console.log(`ok - the server accepts all ${manifestKeys.length} server settings of the manifest: ${manifestKeys.join(', ')}`);
  child.kill();
  process.exit(failures.length ? 1 : 0);
};
const verdict = () => {
  if (process.env.CLINIC_DEBUG) for (const m of messages) console.error(JSON.stringify(m).slice(0, 250));
  const problems = messages
    .filter((m) => m.method === 'window/showMessage' || m.method === 'window/logMessage')
    .map((m) => m.params.message)
    .filter((text) => /setting/i.test(text));
  const failures = problems.filter((p) => !p.includes(SENTINEL)).map((p) => `server: ${p}`);
  if (!problems.some((p) => p.includes(`clinic.${SENTINEL}`))) failures.push(`the server did not report the unknown setting ${SENTINEL}`);
  const unknownPlugin = problems.find((p) => p.includes(`plugins.${SENTINEL}`));
  const known = unknownPlugin && /known: ([^)]*)\)/.exec(unknownPlugin);
  if (!known) {
    failures.push(`the server did not report the unknown plugin ${SENTINEL} with the known ones`);
  } else {
    const serverPlugins = known[1].split(',').map((id) => id.trim()).sort();
    const manifestPlugins = Object.keys(pluginSchema).sort();
    if (serverPlugins.join() !== manifestPlugins.join()) {
      failures.push(`clinic.plugins describes ${manifestPlugins.join(', ')}; the server has ${serverPlugins.join(', ')}`);
    } else {
      console.log(`ok - clinic.plugins describes every plugin of the server: ${serverPlugins.join(', ')}`);
    }
  }
  finish(failures);
};

child.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const header = buffer.indexOf('\r\n\r\n');
    if (header < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, header).toString())[1]);
    if (buffer.length < header + 4 + length) return;
    const message = JSON.parse(buffer.slice(header + 4, header + 4 + length).toString());
    buffer = buffer.slice(header + 4 + length);
    messages.push(message);
    if (message.id === 1 && !message.method && message.result) {
      send({ method: 'initialized', params: {} });
      send({ method: 'workspace/didChangeConfiguration', params: { settings: { clinic: withSentinels } } });
      send({ method: 'textDocument/didOpen', params: { textDocument: {
        uri: noteURI, languageId: 'clinic', version: 1, text: 'IOP 14/16, rev 4/52\n' } } });
    } else if (message.id === 1 && !message.method && message.error) {
      finish([`initialize failed: ${message.error.message}`]);
    } else if (message.method === 'window/showMessage' && !verdictDue) {
      // The server reports settings once it builds the engine, after the model has loaded: wait for the
      // made-up setting and plugin, then a little longer for any other problem.
      const texts = messages.filter((m) => m.method === 'window/showMessage').map((m) => m.params.message);
      if (texts.some((t) => t.includes(`clinic.${SENTINEL}`)) && texts.some((t) => t.includes(`plugins.${SENTINEL}`))) {
        verdictDue = true;
        setTimeout(verdict, 500);
      }
    } else if (message.id !== undefined && message.method) {
      send({ id: message.id, result: message.method === 'workspace/configuration' ? [withSentinels] : null });
    }
  }
});
child.on('error', (error) => finish([`cannot start ${server}: ${error.message}`]));
child.on('exit', (code) => finish([`server exited with status ${code} before reporting the settings`]));
setTimeout(verdict, 30000); // fails below unless the made-up setting was reported
send({ id: ++id, method: 'initialize', params: {
  processId: process.pid, rootUri: null, initializationOptions: settings,
  capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } } },
} });
