'use strict';
// VS Code client for clinic-lsp: starts the server for clinic notes, forwards the `clinic.*` settings
// and offers the summary code actions as commands.
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, DidChangeConfigurationNotification } = require('vscode-languageclient/node');

const manifest = require('./package.json');

const SECTION = 'clinic';
const SUMMARY_TITLE = 'Insert structured summary';
// The server completes it with the count: "Insert summaries for all 3 notes".
const ALL_SUMMARIES_TITLE = 'Insert summaries for all';
// Settings only the client reads; `trace.server` is also sent to the server as `trace`.
const CLIENT_ONLY = new Set(['serverPath', 'extraLanguages', 'trace.server']);
// Every other `clinic.*` setting of the manifest is a server setting of the same name.
const SERVER_KEYS = Object.keys(manifest.contributes.configuration.properties)
  .map((key) => key.slice(SECTION.length + 1))
  .filter((key) => !CLIENT_ONLY.has(key));

let client;
let starting;
let output;

/** The settings the user set explicitly; the server's own defaults apply to the rest. */
function serverSettings(config = vscode.workspace.getConfiguration(SECTION)) {
  const settings = {};
  for (const key of SERVER_KEYS) {
    const value = explicitValue(config, key);
    if (value !== undefined) settings[key] = value;
  }
  const trace = explicitValue(config, 'trace.server');
  if (trace !== undefined) settings.trace = trace;
  return settings;
}

function explicitValue(config, key) {
  const inspected = config.inspect(key);
  if (!inspected) return undefined;
  for (const scope of ['workspaceFolderValue', 'workspaceValue', 'globalValue']) {
    if (inspected[scope] !== undefined) return inspected[scope];
  }
  return undefined;
}

/** The server binary: `clinic.serverPath` with `~` and `${workspaceFolder}` expanded, else `clinic-lsp`. */
function serverCommand(config = vscode.workspace.getConfiguration(SECTION)) {
  const configured = (config.get('serverPath') || '').trim();
  if (!configured) return 'clinic-lsp';
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  let command = configured.replace(/\$\{workspaceFolder\}/g, folder ? folder.uri.fsPath : '');
  if (command === '~' || command.startsWith('~/')) command = path.join(os.homedir(), command.slice(1));
  if (!path.isAbsolute(command) && command.includes(path.sep) && folder) {
    command = path.join(folder.uri.fsPath, command);
  }
  return command;
}

/** `clinic` and the languages of `clinic.extraLanguages`. */
function languages(config = vscode.workspace.getConfiguration(SECTION)) {
  const extra = (config.get('extraLanguages') || []).filter((language) => typeof language === 'string');
  return [...new Set([SECTION, ...extra])];
}

function documentSelector(config = vscode.workspace.getConfiguration(SECTION)) {
  return languages(config).flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
}

function createClient() {
  const command = serverCommand();
  const serverOptions = { run: { command, args: [] }, debug: { command, args: [] } };
  const clientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: serverSettings(),
    outputChannel: output,
    middleware: {
      workspace: {
        // The server asks for the `clinic` section: answer with server settings only.
        configuration: (params, token, next) => {
          if (params.items.every((item) => item.section === SECTION)) {
            return params.items.map(() => serverSettings());
          }
          return next(params, token);
        },
      },
    },
  };
  return new LanguageClient('clinic', 'Clinic notes', serverOptions, clientOptions);
}

async function startClient() {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `clinic-lsp did not start (${serverCommand()}): ${error.message || error}. ` +
        'Set "clinic.serverPath" to the clinic-lsp binary.'
    );
  }
}

async function restartClient() {
  if (client) {
    const old = client;
    client = undefined;
    await old.stop().catch(() => undefined);
  }
  await startClient();
}

/** Whether the server reads `document`: a file or untitled buffer of one of `languages()`. */
function isNote(document) {
  return Boolean(document) && ['file', 'untitled'].includes(document.uri && document.uri.scheme) &&
    languages().includes(document.languageId);
}

/**
 * The extension activates when VS Code has started (it cannot list the languages of a setting as
 * activation events); the server starts with the first note open, of any language the settings name.
 */
async function startIfNoteOpen() {
  if (!client && !starting && vscode.workspace.textDocuments.some(isNote)) {
    starting = startClient().finally(() => { starting = undefined; });
  }
  await starting;
}

/** Runs the server's code action whose title starts with `title`, at the cursor. */
async function runCodeAction(title) {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const selection = editor.selection;
  const actions = (await vscode.commands.executeCommand(
    'vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(selection.active, selection.active)
  )) || [];
  const action = actions.find((a) => typeof a.title === 'string' && a.title.startsWith(title));
  if (!action) {
    vscode.window.showInformationMessage(`clinic-lsp offers no "${title}" here.`);
    return;
  }
  await runAction(action);
}

/** The provider returns CodeActions (an edit and/or a command) and bare Commands ({title, command: string}). */
async function runAction(action) {
  if (typeof action.command === 'string') {
    await vscode.commands.executeCommand(action.command, ...(action.arguments || []));
    return;
  }
  if (action.edit) await vscode.workspace.applyEdit(action.edit);
  if (action.command && typeof action.command.command === 'string') {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments || []));
  }
}

async function onConfigurationChanged(event) {
  if (!event.affectsConfiguration(SECTION)) return;
  if (!client) {
    // New extraLanguages may name a language of a document already open.
    await startIfNoteOpen();
    return;
  }
  const restart = ['serverPath', 'extraLanguages'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  if (restart) {
    await restartClient();
  } else {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: serverSettings() },
    });
  }
}

async function activate(context) {
  output = vscode.window.createOutputChannel('Clinic notes');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('clinic.insertSummary', () => runCodeAction(SUMMARY_TITLE)),
    vscode.commands.registerCommand('clinic.insertAllSummaries', () => runCodeAction(ALL_SUMMARIES_TITLE)),
    vscode.commands.registerCommand('clinic.restartServer', restartClient),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.workspace.onDidOpenTextDocument((document) => (isNote(document) ? startIfNoteOpen() : undefined))
  );
  await startIfNoteOpen();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate, serverSettings, serverCommand, documentSelector, languages, SERVER_KEYS };
