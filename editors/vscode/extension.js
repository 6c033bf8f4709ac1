// Starts `citelint server` for Markdown, HTML and plain-text documents.
"use strict";

const { workspace } = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const command = workspace.getConfiguration("citelint").get("path", "citelint");
  // TransportKind.stdio adds --stdio to the arguments, which `citelint server` accepts.
  const server = { command, args: ["server"], transport: TransportKind.stdio };
  const documents = ["markdown", "html", "plaintext"].flatMap((language) => [
    { scheme: "file", language },
    { scheme: "untitled", language },
  ]);
  client = new LanguageClient("citelint", "citelint", server, { documentSelector: documents });
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
