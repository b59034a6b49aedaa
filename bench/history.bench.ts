/**
 * History sizes (issue 11 item 4): the events of each recorded history in
 * test/workflows/histories (each one recorded from a time-skipping run of the workflow tests with
 * RECORD_HISTORIES=1), with a complete lead's history next to the 120-event goal and a lead's
 * history while it waits for step 1 (the events up to its first timer). A cache miss replays the
 * whole history of a run, so these sizes are what a worker pays to wake an evicted workflow.
 *
 * Run: npm run bench -- history
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import proto from '@temporalio/proto';

const { temporal } = proto;

const dir = path.resolve(import.meta.dirname, '../test/workflows/histories');
const EventType = temporal.api.enums.v1.EventType;
const GOAL_COMPLETE_LEAD = 120;

const rows = readdirSync(dir)
  .filter((f) => f.endsWith('.history.b64'))
  .sort()
  .map((f) => {
    const h = temporal.api.history.v1.History.decode(Buffer.from(readFileSync(path.join(dir, f), 'utf8'), 'base64'));
    const events = h.events ?? [];
    const firstTimer = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
    const bytes = temporal.api.history.v1.History.encode(h).finish().length;
    const last = events.at(-1)?.eventType;
    const ended =
      last === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
        ? 'continued as new'
        : last === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
          ? 'completed'
          : String(EventType[last ?? 0]);
    return {
      name: f.replace(/\.history\.b64$/, ''),
      events: events.length,
      untilFirstTimer: firstTimer >= 0 ? firstTimer + 1 : null,
      kib: bytes / 1024,
      ended,
    };
  });

console.log('recorded history                              events   until 1st timer   KiB   ended');
for (const r of rows)
  console.log(
    `${r.name.padEnd(45)} ${String(r.events).padStart(6)}   ${String(r.untilFirstTimer ?? '-').padStart(15)}   ${r.kib.toFixed(1).padStart(5)}   ${r.ended}`,
  );
const leads = rows.filter((r) => r.name.startsWith('lead-sequence-'));
const full = leads.find((r) => r.name === 'lead-sequence-warm-full') ?? leads[0];
if (full) {
  console.log(
    `\ncomplete 5-step lead (${full.name}): ${full.events} events, ${(full.events / GOAL_COMPLETE_LEAD).toFixed(2)}x the ${GOAL_COMPLETE_LEAD}-event goal`,
  );
  console.log(`a lead waiting for step 1: ${full.untilFirstTimer} events`);
}
const longest = rows.reduce((a, b) => (b.events > a.events ? b : a));
console.log(`longest recorded run: ${longest.name}, ${longest.events} events`);
