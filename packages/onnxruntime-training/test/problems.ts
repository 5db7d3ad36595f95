/** Small synthetic problems for training tests. */
import { createRandom } from '../src/init';

/** Three Gaussian blobs in 4-D, labels 0..2. */
export function blobs(count: number, seed: number) {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = [
    [2, 0, 0, 1],
    [0, 2, -1, 0],
    [-2, -1, 1, 0],
  ];
  const x = new Float32Array(count * 4);
  const y = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    y[i] = BigInt(label);
    for (let j = 0; j < 4; j++) x[i * 4 + j] = centers[label]![j]! + 0.7 * normal();
  }
  return { x, y };
}

/** 1×6×6 images with a bright 2×2 patch in the left (label 0) or right (label 1) half, plus noise. */
export function patches(count: number, seed: number) {
  const random = createRandom(seed);
  const x = new Float32Array(count * 36);
  const y = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    y[i] = BigInt(label);
    for (let k = 0; k < 36; k++) x[i * 36 + k] = 0.2 * random();
    const row = Math.floor(random() * 5);
    const col = label === 0 ? Math.floor(random() * 2) : 3 + Math.floor(random() * 2);
    for (const [dr, dc] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]) {
      x[i * 36 + (row + dr!) * 6 + col + dc!] = 1;
    }
  }
  return { x, y };
}
