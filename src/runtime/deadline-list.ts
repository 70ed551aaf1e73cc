// Timeouts for many objects that share one duration (every request of a run has the same timeout):
// instead of a timer, a closure and a handle per object, the objects themselves are the nodes of a
// list in deadline order, and one timer per duration waits for the head. Adding is O(1) (same
// duration: each new deadline is the latest), removing is O(1) (doubly linked), and a list holds
// nothing for an object once it is removed. The timer is re-armed only when it fires, so one armed
// for a head that was since removed fires early once and re-arms for the new head.

import { clearLongTimeout, setLongTimeout, type LongTimeout, type TimerApi, realTimers } from "./long-timer.ts";

/** An object with a deadline; the fields are the list's (start them at 0 / null). */
export interface DeadlineNode {
  deadlineMs: number;
  prevDeadline: DeadlineNode | null;
  nextDeadline: DeadlineNode | null;
  deadlineList: DeadlineList | null;
  /** The deadline passed; the node is already out of its list. */
  onDeadline(): void;
}

export class DeadlineList {
  private head: DeadlineNode | null = null;
  private tail: DeadlineNode | null = null;
  private timer: LongTimeout | null = null;
  private readonly fire = (): void => this.expire();

  constructor(
    readonly durationMs: number,
    private readonly api: TimerApi,
  ) {}

  add(node: DeadlineNode): void {
    node.deadlineMs = this.api.now() + this.durationMs;
    node.deadlineList = this;
    node.prevDeadline = this.tail;
    node.nextDeadline = null;
    if (this.tail === null) this.head = node;
    else this.tail.nextDeadline = node;
    this.tail = node;
    if (this.timer === null) this.arm();
  }

  remove(node: DeadlineNode): void {
    if (node.deadlineList !== this) return;
    const { prevDeadline: prev, nextDeadline: next } = node;
    if (prev === null) this.head = next;
    else prev.nextDeadline = next;
    if (next === null) this.tail = prev;
    else next.prevDeadline = prev;
    node.prevDeadline = node.nextDeadline = null;
    node.deadlineList = null;
    if (this.head === null && this.timer !== null) {
      clearLongTimeout(this.timer);
      this.timer = null;
    }
  }

  get empty(): boolean {
    return this.head === null;
  }

  private arm(): void {
    const head = this.head;
    this.timer = head === null ? null : setLongTimeout(this.fire, Math.max(0, head.deadlineMs - this.api.now()), this.api);
  }

  private expire(): void {
    this.timer = null;
    const now = this.api.now();
    // Expired heads leave the list before their callback, so a callback may add or remove freely.
    for (let node = this.head; node !== null && node.deadlineMs <= now; node = this.head) {
      this.remove(node);
      node.onDeadline();
    }
    if (this.timer === null) this.arm();
  }
}

/** One list per duration. Infinity never fires; NaN and negative durations fire as soon as possible. */
export class Deadlines {
  private readonly lists = new Map<number, DeadlineList>();

  constructor(private readonly api: TimerApi = realTimers) {}

  add(node: DeadlineNode, durationMs: number): void {
    if (durationMs === Infinity) return;
    const ms = durationMs > 0 ? durationMs : 0;
    let list = this.lists.get(ms);
    if (list === undefined) {
      list = new DeadlineList(ms, this.api);
      this.lists.set(ms, list);
    }
    list.add(node);
  }

  remove(node: DeadlineNode): void {
    node.deadlineList?.remove(node);
  }
}
