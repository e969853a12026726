async function save(): Promise<number> {
  await Promise.resolve();
  return 1;
}

export function handlers(on: (event: string, listener: () => void) => void) {
  save(); // error: @typescript-eslint/no-floating-promises
  on('close', save); // error: @typescript-eslint/no-misused-promises
}

export async function notAPromise() {
  const n = 1;
  return await n; // error: @typescript-eslint/await-thenable
}
