import { executeChild, startChild } from 'duraflow/workflow';

/** A child: processes one order line. */
export async function processLine(line) {
  return `${line.qty} × ${line.sku}`;
}

/** A parent fanning out to one child per line, then collecting their results. */
export async function processOrder(lines) {
  const first = await startChild(processLine, { args: [lines[0]], workflowId: 'order-line-0' });
  const rest = await Promise.all(lines.slice(1).map((line, i) => executeChild(processLine, { args: [line], workflowId: `order-line-${i + 1}` })));
  return [await first.result(), ...rest];
}
