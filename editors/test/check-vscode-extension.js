#!/usr/bin/env node
'use strict';
// Runs editors/vscode/extension.js against stand-ins for the `vscode` and `vscode-languageclient`
// modules (npm is not needed): checks the server command, document selector, the settings sent as
// initializationOptions and didChangeConfiguration, the workspace/configuration answer, and that the
// summary commands apply the server's code action with the right title.
const assert = require('assert');
const Module = require('module');
const os = require('os');
const path = require('path');

// --- stand-ins -------------------------------------------------------------------------------
const user = {}; // settings the user set, e.g. {'clinic.debounceMs': 250}
const manifest = require('../vscode/package.json');
const defaults = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).map(([k, v]) => [k, v.default]));
const registered = {};
const applied = [];
const notifications = [];
const clients = [];
const executed = [];
let configListener;
let openListener;
let codeActions = [];

const vscode = {
  workspace: {
    workspaceFolders: [{ uri: { fsPath: '/work/notes' } }],
    getConfiguration: (section) => ({
      get: (key) => (`${section}.${key}` in user ? user[`${section}.${key}`] : defaults[`${section}.${key}`]),
      inspect: (key) => ({ defaultValue: defaults[`${section}.${key}`], globalValue: user[`${section}.${key}`] }),
    }),
    onDidChangeConfiguration: (listener) => { configListener = listener; return { dispose() {} }; },
    onDidOpenTextDocument: (listener) => { openListener = listener; return { dispose() {} }; },
    textDocuments: [],
    applyEdit: async (edit) => { applied.push(edit); return true; },
  },
  window: {
    createOutputChannel: () => ({ dispose() {} }),
    showErrorMessage: (m) => { throw new Error(`unexpected error message: ${m}`); },
    showInformationMessage: (m) => { applied.push({ info: m }); },
    activeTextEditor: { document: { uri: 'file:///work/notes/day.clinic' }, selection: { active: { line: 0, character: 3 } } },
  },
  commands: {
    registerCommand: (name, fn) => { registered[name] = fn; return { dispose() {} }; },
    executeCommand: async (name, uri, range, ...rest) => {
      if (name !== 'vscode.executeCodeActionProvider') { executed.push([name, uri, range, ...rest].filter((a) => a !== undefined)); return undefined; }
      assert.strictEqual(uri, 'file:///work/notes/day.clinic');
      assert.deepStrictEqual(range.start, { line: 0, character: 3 });
      return codeActions;
    },
  },
  Range: class { constructor(start, end) { this.start = start; this.end = end; } },
};
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false });
    clients.push(this);
  }
  async start() { this.started = true; }
  async stop() { this.started = false; }
  async sendNotification(type, params) { notifications.push({ type, params }); }
}
const languageclient = { LanguageClient, DidChangeConfigurationNotification: { type: 'workspace/didChangeConfiguration' } };

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode' || request === 'vscode-languageclient/node') return request;
  return resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
require.cache['vscode-languageclient/node'] = { id: 'lc', filename: 'lc', loaded: true, exports: languageclient };

// --- checks ----------------------------------------------------------------------------------
const ext = require('../vscode/extension.js');
const checks = [];
const test = (name, fn) => checks.push({ name, fn });

test('every clinic.* setting but the client-only ones is forwarded to the server', () => {
  const keys = Object.keys(defaults).map((k) => k.slice(7));
  assert.deepStrictEqual(ext.SERVER_KEYS, keys.filter((k) => !['serverPath', 'extraLanguages', 'trace.server'].includes(k)));
});

const doc = (languageId, name) => ({ languageId, uri: { scheme: 'file', fsPath: `/work/notes/${name}` } });

test('activating at start-up with no note open starts no server', async () => {
  user['clinic.debounceMs'] = 250;
  user['clinic.plugins'] = { iop: false };
  user['clinic.trace.server'] = 'messages';
  user['clinic.serverPath'] = '~/bin/clinic-lsp';
  await ext.activate({ subscriptions: [] });
  assert.strictEqual(clients.length, 0, 'no server without a note');
  assert.ok(openListener, 'listens for opened documents');
});

test('a Markdown document starts nothing until clinic.extraLanguages names markdown', async () => {
  const md = doc('markdown', 'day.md');
  vscode.workspace.textDocuments.push(md);
  await openListener(md);
  assert.strictEqual(clients.length, 0);
  user['clinic.extraLanguages'] = ['markdown'];
  await configListener({ affectsConfiguration: (s) => s === 'clinic' || s === 'clinic.extraLanguages' });
  assert.strictEqual(clients.length, 1, 'the open Markdown note started the server');
  assert.deepStrictEqual(ext.languages(), ['clinic', 'markdown']);
});

test('opening a clinic note with a server running starts no second one', async () => {
  const note = doc('clinic', 'day.clinic');
  vscode.workspace.textDocuments.push(note);
  await openListener(note);
  assert.strictEqual(clients.length, 1);
});

test('the server starts with only the settings the user set', async () => {
  const client = clients[0];
  assert.ok(client && client.started, 'client started');
  assert.strictEqual(client.id, 'clinic');
  assert.strictEqual(client.serverOptions.run.command, path.join(os.homedir(), 'bin/clinic-lsp'));
  assert.deepStrictEqual(client.serverOptions.run.args, []);
  assert.deepStrictEqual(client.clientOptions.documentSelector,
    [{ scheme: 'file', language: 'clinic' }, { scheme: 'untitled', language: 'clinic' },
      { scheme: 'file', language: 'markdown' }, { scheme: 'untitled', language: 'markdown' }]);
  assert.deepStrictEqual(client.clientOptions.initializationOptions, { debounceMs: 250, plugins: { iop: false }, trace: 'messages' });
});

test('the server\'s workspace/configuration request gets the same settings', async () => {
  const answer = await clients[0].clientOptions.middleware.workspace.configuration(
    { items: [{ section: 'clinic' }] }, undefined, () => assert.fail('must not defer'));
  assert.deepStrictEqual(answer, [{ debounceMs: 250, plugins: { iop: false }, trace: 'messages' }]);
});

test('server paths: empty means clinic-lsp on PATH, relative ones are taken from the workspace', () => {
  user['clinic.serverPath'] = '';
  assert.strictEqual(ext.serverCommand(), 'clinic-lsp');
  user['clinic.serverPath'] = '.build/release/clinic-lsp';
  assert.strictEqual(ext.serverCommand(), '/work/notes/.build/release/clinic-lsp');
  user['clinic.serverPath'] = '${workspaceFolder}/bin/clinic-lsp';
  assert.strictEqual(ext.serverCommand(), '/work/notes/bin/clinic-lsp');
});

test('a settings change is sent as didChangeConfiguration under "clinic"', async () => {
  user['clinic.hintStyle'] = 'full';
  await configListener({ affectsConfiguration: (s) => s === 'clinic' || s === 'clinic.hintStyle' });
  assert.strictEqual(clients.length, 1, 'no restart');
  assert.deepStrictEqual(notifications.pop(), {
    type: 'workspace/didChangeConfiguration',
    params: { settings: { clinic: { debounceMs: 250, plugins: { iop: false }, trace: 'messages', hintStyle: 'full' } } },
  });
});

test('changing extraLanguages restarts the server with plain text and Markdown files too', async () => {
  user['clinic.extraLanguages'] = ['plaintext', 'markdown'];
  await configListener({ affectsConfiguration: (s) => s === 'clinic' || s === 'clinic.extraLanguages' });
  assert.strictEqual(clients.length, 2);
  assert.strictEqual(clients[0].started, false);
  assert.ok(clients[1].started);
  assert.deepStrictEqual(clients[1].clientOptions.documentSelector.map((s) => s.language),
    ['clinic', 'clinic', 'plaintext', 'plaintext', 'markdown', 'markdown']);
});

test('the summary commands apply the server\'s action with the matching title', async () => {
  const one = { title: 'Insert structured summary', edit: { id: 'one' } };
  const all = { title: 'Insert summaries for all 2 notes', edit: { id: 'all' } };
  codeActions = [{ title: 'Add missing eye', edit: { id: 'fix' } }, all, one];
  await registered['clinic.insertSummary']();
  assert.deepStrictEqual(applied.pop(), { id: 'one' });
  await registered['clinic.insertAllSummaries']();
  assert.deepStrictEqual(applied.pop(), { id: 'all' });
  codeActions = [];
  await registered['clinic.insertSummary']();
  assert.match(applied.pop().info, /no "Insert structured summary"/);
});

test('a bare Command from the provider is executed with its arguments', async () => {
  codeActions = [{ title: 'Insert structured summary', command: 'clinic.applySummary', arguments: [{ note: 0 }] }];
  await registered['clinic.insertSummary']();
  assert.deepStrictEqual(executed.pop(), ['clinic.applySummary', { note: 0 }]);
  assert.strictEqual(applied.length, 0, 'nothing applied as an edit');
});

test('a CodeAction with an edit and a command applies the edit, then runs the command', async () => {
  codeActions = [{ title: 'Insert structured summary', edit: { id: 'one' }, command: { title: 'x', command: 'clinic.after', arguments: [7] } }];
  await registered['clinic.insertSummary']();
  assert.deepStrictEqual(applied.pop(), { id: 'one' });
  assert.deepStrictEqual(executed.pop(), ['clinic.after', 7]);
});

(async () => {
  let failed = 0;
  for (const { name, fn } of checks) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`not ok - ${name}\n    ${String(error.stack || error).split('\n').slice(0, 3).join('\n    ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
})();
