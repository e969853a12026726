import type { LiveEvent } from '@yishi/shared/schemas';

/**
 * A small event-bus interface. In-process here; a deployment with several server instances
 * puts a broker behind the same interface. Publish only after the transaction commits.
 */
export interface EventBus {
  publish(event: LiveEvent): void;
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

export class InProcessBus implements EventBus {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  publish(event: LiveEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken subscriber must not break the publisher
      }
    }
  }
  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
