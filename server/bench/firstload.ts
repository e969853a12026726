export async function firstLoadPart(..._a: unknown[]) {}
