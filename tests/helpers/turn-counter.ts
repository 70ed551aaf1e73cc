// Counts event-loop turns (one setImmediate callback each) until stopped: for tests that check work
// leaves the loop turns to run other things.
export interface TurnCounter {
  /** Turns counted so far. */
  readonly turns: number;
  stop(): void;
}

export function countTurns(): TurnCounter {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop() {
      running = false;
    },
  };
}
