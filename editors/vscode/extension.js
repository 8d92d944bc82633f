// The smallest client that starts `slalint lsp` for .sla files. The grammar and
// the language configuration work without it; the server needs `pip install 'slalint[lsp]'`.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("slalint").get("command", ["slalint", "lsp"]);
  const server = { command, args };
  client = new LanguageClient(
    "slalint",
    "slalint",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "sla" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{sla,yaml,yml}") },
    }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `slalint: could not start "${[command, ...args].join(" ")}" (${error.message}). ` +
        "Install it with pip install 'slalint[lsp]', or set slalint.command."
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
