import { statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../scripts/understandingData.js';
import { createRecognizer, type Language, type ModelFile, type Recognizer } from '../understanding/index.js';
import model from '../understanding/model.json' with { type: 'json' };
import { rng, toModelFile } from '../understanding/train.js';

const MESSAGES: Array<[string, Language]> = [
  ['link my MCID', 'en'],
  ['hi! quick one, how do I get my exams to count for the company? my manager keeps asking and I have been searching Partner Center for an hour', 'en'],
  ['where can I download my certificate as a PDF?', 'en'],
  ['我要关联我的MCID', 'zh-CN'],
  ['您好，我上个月跳槽到新公司了，之前的 MCID 还挂在老东家那边，请问怎么转到现在的公司？谢谢', 'zh-CN'],
  ['peux-tu me dissocier ?', 'fr'],
  ['bonjour, ma certif AZ-104 n’apparaît pas dans le skills report, c’est normal ?', 'fr'],
];

function time(label: string, recognizer: Recognizer, rounds: number): void {
  for (let i = 0; i < 100; i++) for (const [m, l] of MESSAGES) recognizer.recognize(m, l); // warm the JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [m, l] of MESSAGES) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      recognizer.recognize(m, l);
      const used = process.cpuUsage(startCpu);
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const at = (samples: number[], p: number): string => {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(3);
  };
  // On a shared machine the wall clock also counts the time the scheduler gave to other processes; CPU time does not.
  console.log(
    `${label}: wall p50 ${at(wall, 0.5)} ms, p99 ${at(wall, 0.99)} ms; CPU time p50 ${at(cpu, 0.5)} ms, p99 ${at(cpu, 0.99)} ms over ${wall.length} messages (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
  );
}

/** The committed model's features with `labels` synthetic labels and seeded random weights: the cost of a bigger label space. */
function syntheticModel(labels: number): ModelFile {
  const file = model as ModelFile;
  const features = new Uint32Array(new Uint8Array(Buffer.from(file.features, 'base64')).buffer);
  const random = rng(99);
  const w = new Float64Array(features.length * labels);
  for (let i = 0; i < w.length; i++) w[i] = random() - 0.5;
  const names = Array.from({ length: labels }, (_, i) => (i === 0 ? 'out-of-scope' : `topic:synthetic-${i}`));
  return toModelFile({ labels: names, features, w, bias: new Float64Array(labels) }, file, {}, 'synthetic');
}

/** `npm run bench`: understanding latency at today's labels and at 1,000, the model file's size and the heap it takes. */
export async function benchUnderstanding(): Promise<void> {
  const file = model as ModelFile;
  const bytes = statSync(join(ROOT, 'understanding', 'model.json')).size;
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const real = createRecognizer(file);
  const loadMs = performance.now() - start;
  const heapAfter = process.memoryUsage().heapUsed;
  const featureCount = Buffer.from(file.features, 'base64').length / 4;
  console.log(
    `understanding: model file ${(bytes / 1024).toFixed(0)} KiB, ${file.labels.length} labels × ${featureCount} features, decoded in ${loadMs.toFixed(1)} ms, heap +${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB`,
  );
  time(`understanding, ${file.labels.length} labels`, real, 500);
  const synthetic = createRecognizer(syntheticModel(1000));
  time('understanding, 1,000 synthetic labels', synthetic, 100);
}
