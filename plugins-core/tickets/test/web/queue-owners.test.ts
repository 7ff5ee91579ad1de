import { ApiRequestError } from '@goatflow/sdk/widget';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const get = vi.fn();
vi.mock('../../web/lib/api.js', () => ({ V1: '/api/v1', ticketsApi: { get } }));

const { QueueOwnersRequest } = await import('../../web/lib/queue-owners.js');

/** A call that answers when told to, and rejects as fetch does when its signal aborts. */
function pending() {
  let answer: (value: unknown) => void = () => {};
  get.mockImplementationOnce(
    (_path: string, { signal }: { signal: AbortSignal }) =>
      new Promise((resolve, reject) => {
        answer = resolve;
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  );
  return (value: unknown) => answer(value);
}

const ann = { id: 7, login: 'ann', firstName: 'Ann', lastName: 'Lee' };

describe('QueueOwnersRequest', () => {
  beforeEach(() => get.mockReset());

  it("asks for the queue's owners and resolves to them", async () => {
    get.mockResolvedValueOnce({ items: [ann] });
    const request = new QueueOwnersRequest();
    await expect(request.load(3)).resolves.toEqual([ann]);
    expect(get).toHaveBeenCalledWith(
      '/api/v1/queues/3/owners',
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
  });

  it('drops the answer for a queue chosen before the last one', async () => {
    const request = new QueueOwnersRequest();
    pending();
    const first = request.load(3);
    const answerSecond = pending();
    const second = request.load(4);
    answerSecond({ items: [ann] });
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toEqual([ann]);
  });

  it('resolves to no owners when the call fails, and to nothing once aborted', async () => {
    const request = new QueueOwnersRequest();
    get.mockRejectedValueOnce(new ApiRequestError(403, 'forbidden', 'You may not see this queue.'));
    await expect(request.load(3)).resolves.toEqual([]);
    pending();
    const aborted = request.load(3);
    request.abort();
    await expect(aborted).resolves.toBeUndefined();
  });
});
