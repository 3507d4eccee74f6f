// A description of the machine and moment a benchmark ran on, for BENCHMARKS.md.
import os from 'node:os';

/** Cores, CPU model, RAM, OS, Node version, date and load at the start of the run. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

/** One line per fact, as Markdown list items. */
export function machineMarkdown(m) {
  return [
    `- Date: ${m.date}`,
    `- CPU: ${m.cores} × ${m.cpuModel}`,
    `- RAM: ${m.ramGiB} GiB`,
    `- OS: ${m.os}`,
    `- Node: ${m.node}`,
    `- Load average at start (1, 5, 15 min): ${m.loadAverage.join(', ')}`,
  ].join('\n');
}
