// The structure of a Mermaid diagram as mermaid itself parses it (tests/test_graph.py):
// nodes, their labels and links, edges and subgraphs, as JSON; exit 1 with the parse error.
import { JSDOM } from 'jsdom';
import fs from 'node:fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
if (!globalThis.navigator) globalThis.navigator = dom.window.navigator;
const { default: mermaid } = await import('mermaid');
const text = fs.readFileSync(0, 'utf8');
try {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const vertices = db.getVertices();
  const ids = vertices instanceof Map ? [...vertices.keys()] : Object.keys(vertices);
  const values = vertices instanceof Map ? [...vertices.values()] : Object.values(vertices);
  const links = values.map(v => v.link).filter(Boolean);
  const edges = db.getEdges().map(e => [e.start, e.end]);
  const subgraphs = db.getSubGraphs().map(s => s.title);
  const labels = values.map(v => v.text);
  console.log(JSON.stringify({ nodes: ids, labels, links, edges, subgraphs }));
} catch (e) { console.error(String(e.message || e)); process.exit(1); }
