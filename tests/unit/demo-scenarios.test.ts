import { describe, expect, it } from 'vitest';
import { progressAt, scenarioOf, timelineOf } from '../../local/demo-provider/scenarios.js';

describe('demo provider scenarios', () => {
  it('reads the scenario hint from anywhere in the link', () => {
    expect(scenarioOf('https://youtu.be/x?codex-test=partial')).toBe('partial');
    expect(scenarioOf('https://youtu.be/x?a=1&codex-test=FLAKY&b=2')).toBe('flaky');
    expect(scenarioOf('https://youtu.be/x')).toBe('normal');
    expect(scenarioOf('https://youtu.be/x?codex-test=partially')).toBe('normal');
    expect(scenarioOf('https://youtu.be/x?codex-test=fail')).toBe('fail');
    expect(scenarioOf('https://youtu.be/x?codex-test=failed')).toBe('failed');
    expect(scenarioOf('https://youtu.be/x?codex-test=error')).toBe('error');
  });

  it('moves an ordinary order from Pending through In progress to Completed within 30 seconds', () => {
    const timeline = timelineOf('normal');
    expect(progressAt(timeline, 1000, 0).status).toBe('Pending');
    expect(progressAt(timeline, 1000, 10)).toMatchObject({ status: 'In progress' });
    expect(progressAt(timeline, 1000, 10).remains).toBeLessThan(1000);
    expect(progressAt(timeline, 1000, 30)).toEqual({ status: 'Completed', remains: 0 });
  });

  it('ends partial orders with some remains and canceled ones with all of them', () => {
    expect(progressAt(timelineOf('partial'), 1000, 60)).toEqual({ status: 'Partial', remains: 300 });
    expect(progressAt(timelineOf('cancel'), 1000, 60)).toEqual({ status: 'Canceled', remains: 1000 });
  });

  it('keeps slow orders going for minutes', () => {
    expect(progressAt(timelineOf('slow'), 1000, 120).status).toBe('In progress');
    expect(progressAt(timelineOf('slow'), 1000, 300).status).toBe('Completed');
  });
});
