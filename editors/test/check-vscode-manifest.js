#!/usr/bin/env node
'use strict';
// Validates editors/vscode: the manifest fields VS Code and vsce need, the clinic language and grammar
// contributions, and that every setting is documented and typed. Prints one line per failure.
const fs = require('fs');
const path = require('path');

const dir = path.resolve(__dirname, '../vscode');
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };
const readJSON = (file) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  } catch (error) {
    failures.push(`${file}: ${error.message}`);
    return undefined;
  }
};

const pkg = readJSON('package.json') || {};
for (const field of ['name', 'displayName', 'description', 'version', 'publisher', 'main', 'engines', 'repository']) {
  check(pkg[field] !== undefined, `package.json: missing "${field}"`);
}
check(/^[a-z0-9][a-z0-9-]*$/.test(pkg.name || ''), 'package.json: "name" must be lower case letters, digits and dashes');
check(/^\d+\.\d+\.\d+$/.test(pkg.version || ''), 'package.json: "version" must be MAJOR.MINOR.PATCH');
check(/^\^\d+\.\d+\.\d+$/.test((pkg.engines || {}).vscode || ''), 'package.json: engines.vscode must be like ^1.82.0');
check(fs.existsSync(path.join(dir, pkg.main || 'missing')), `package.json: main ${pkg.main} does not exist`);
check(/^\^?\d+/.test((pkg.dependencies || {})['vscode-languageclient'] || ''), 'package.json: needs vscode-languageclient');
check((pkg.activationEvents || []).includes('onLanguage:clinic'), 'package.json: activationEvents lacks onLanguage:clinic');
// Notes in the languages of clinic.extraLanguages (plaintext, markdown) must not wait for a .clinic file.
check((pkg.activationEvents || []).includes('onStartupFinished'),
  'package.json: activationEvents lacks onStartupFinished (extraLanguages get nothing until a .clinic file opens)');

const contributes = pkg.contributes || {};
const language = (contributes.languages || []).find((l) => l.id === 'clinic');
check(language, 'contributes.languages: no language "clinic"');
if (language) {
  check((language.extensions || []).includes('.clinic'), 'language clinic: extensions must include ".clinic"');
  check(language.configuration && readJSON(language.configuration), 'language clinic: configuration file missing or invalid');
}
const grammar = (contributes.grammars || []).find((g) => g.language === 'clinic');
check(grammar, 'contributes.grammars: no grammar for language "clinic"');
if (grammar) {
  const tm = readJSON(grammar.path);
  if (tm) {
    check(tm.scopeName === grammar.scopeName, `grammar: scopeName ${tm.scopeName} != manifest's ${grammar.scopeName}`);
    const walk = (node, where) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      for (const key of ['match', 'begin', 'end']) {
        if (typeof node[key] === 'string') {
          // TextMate uses Oniguruma; (?i) is its inline flag, which JavaScript spells as a flag.
          const source = node[key].replace(/^\(\?i\)/, '');
          try { new RegExp(source, 'u'); } catch (error) { failures.push(`grammar ${where}.${key}: ${error.message}`); }
        }
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
    };
    walk(tm, 'grammar');
    for (const inc of JSON.stringify(tm).match(/"include":"#[^"]+"/g) || []) {
      const name = inc.slice(12, -1);
      check(tm.repository && tm.repository[name], `grammar: include #${name} has no repository entry`);
    }
  }
}
for (const g of contributes.grammars || []) {
  check((contributes.languages || []).some((l) => l.id === g.language), `grammar for unknown language ${g.language}`);
}

const properties = ((contributes.configuration || {}).properties) || {};
check(Object.keys(properties).length > 0, 'contributes.configuration: no settings');
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
for (const [key, spec] of Object.entries(properties)) {
  check(key.startsWith('clinic.'), `setting ${key}: must start with "clinic."`);
  check(typeof (spec.description || spec.markdownDescription) === 'string' && (spec.description || spec.markdownDescription).length > 15,
    `setting ${key}: needs a description`);
  check(spec.type, `setting ${key}: needs a type`);
  check('default' in spec, `setting ${key}: needs a default`);
  const types = [].concat(spec.type || []);
  const actual = typeOf(spec.default);
  check(types.includes(actual) || (actual === 'integer' && types.includes('number')),
    `setting ${key}: default ${JSON.stringify(spec.default)} is not of type ${types.join('|')}`);
  if (spec.enum) {
    check(spec.enum.includes(spec.default), `setting ${key}: default is not one of its enum`);
    check(Array.isArray(spec.enumDescriptions) && spec.enumDescriptions.length === spec.enum.length,
      `setting ${key}: needs one enumDescription per enum value`);
  }
  if (typeof spec.minimum === 'number') check(spec.default >= spec.minimum, `setting ${key}: default below minimum`);
  if (typeof spec.maximum === 'number') check(spec.default <= spec.maximum, `setting ${key}: default above maximum`);
}
check(properties['clinic.serverPath'], 'settings: no clinic.serverPath');

const extension = fs.readFileSync(path.join(dir, pkg.main || 'extension.js'), 'utf8');
for (const command of contributes.commands || []) {
  check(command.title, `command ${command.command}: needs a title`);
  check(extension.includes(`'${command.command}'`), `command ${command.command}: not registered in ${pkg.main}`);
}
for (const binding of contributes.keybindings || []) {
  check((contributes.commands || []).some((c) => c.command === binding.command), `keybinding for unknown command ${binding.command}`);
}

if (failures.length) {
  for (const f of failures) console.log(`not ok - ${f}`);
  process.exit(1);
}
console.log(`ok - manifest: language clinic (.clinic), grammar ${grammar.scopeName}, ${Object.keys(properties).length} documented settings, ${(contributes.commands || []).length} commands`);
