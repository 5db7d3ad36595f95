import { importSchedule } from '@anneal/core/reference';

// timm's args.yaml, parsed (with any YAML parser; the anneal CLI reads the file itself).
const args = { sched: 'cosine', epochs: 50, lr: 0.1, min_lr: 1e-5, warmup_epochs: 5, warmup_lr: 1e-4 };

const imported = importSchedule(args); // timm steps once per epoch: step t is epoch t
if (imported.kind === 'schedule') {
  console.log(imported.format, imported.report.stepUnit); // timm-args epoch
  console.log(imported.schedule(0), imported.schedule(5)); // 0.0001 0.09755307053217621
}

// Given the optimizer updates per epoch, the same schedule runs on updates.
const perUpdate = importSchedule(args, { updatesPerEpoch: 100 });
if (perUpdate.kind === 'schedule') {
  console.log(perUpdate.schedule(599), perUpdate.config.type); // 0.09755307053217621 epochSchedule
}
