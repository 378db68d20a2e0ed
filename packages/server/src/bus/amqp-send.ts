import type { ConfirmChannel } from 'amqplib';

/**
 * Runs each write (a `publish` or `sendToQueue` on `ch`) in order, waiting for the channel to drain whenever its
 * buffer is full, then for the broker's confirms. Rejects if the broker refused any of them or the channel closed
 * before confirming all.
 */
export async function sendConfirmed(ch: ConfirmChannel, writes: Iterable<() => boolean>): Promise<void> {
  for (const write of writes) {
    if (!write()) {
      // The socket buffer is full: wait for it to drain (or the channel to close) before writing more.
      await new Promise<void>((resolve) => {
        const done = () => {
          ch.off('drain', done);
          ch.off('close', done);
          resolve();
        };
        ch.on('drain', done);
        ch.on('close', done);
      });
    }
  }
  await ch.waitForConfirms();
}
