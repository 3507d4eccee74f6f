/**
 * A patch (`patched(id)` / `deprecatePatch(id)`): a `core_patch` RecordMarker command matched with its
 * MarkerRecorded event, plus — as Core does since its UpsertSearchAttributeOnPatch flag — an upsert
 * of the TemporalChangeVersion search attribute listing the run's patches. Which patch calls are
 * allowed without a marker and which markers without a call is decided when command events are
 * matched (see command-events.ts).
 *
 * @module
 */
import { MachineMismatch } from '../errors.js';
import { CHANGE_VERSION_SEARCH_ATTRIBUTE, CommandType, PATCH_MARKER_DETAILS_KEY, PATCH_MARKER_NAME, patchMarkerDetails } from '../history-events.js';
import { StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

/** Search attribute values at or above this size are not upserted (the server's default limit). */
const MAX_SEARCH_ATTRIBUTE_SIZE = 2048;
const encoder = new TextEncoder();

/** A `json/plain` payload of a value. */
export function jsonPayload(value: unknown): { metadata: Record<string, Uint8Array>; data: Uint8Array } {
  return { metadata: { encoding: encoder.encode('json/plain') }, data: encoder.encode(JSON.stringify(value)) };
}

/** The `core_patch` RecordMarker command. */
export function patchMarkerCommand(patchId: string, deprecated: boolean): ICommand {
  return {
    commandType: CommandType.COMMAND_TYPE_RECORD_MARKER,
    recordMarkerCommandAttributes: {
      markerName: PATCH_MARKER_NAME,
      details: { [PATCH_MARKER_DETAILS_KEY]: { payloads: [jsonPayload({ id: patchId, deprecated })] } },
    },
  };
}

/**
 * The TemporalChangeVersion upsert for the run's patches so far (sorted, this one included), or
 * undefined when the value would be too large to upsert.
 */
export function changeVersionUpsertCommand(patchIds: Iterable<string>): ICommand | undefined {
  const payload = jsonPayload([...new Set(patchIds)].sort());
  if (payload.data.length >= MAX_SEARCH_ATTRIBUTE_SIZE) return undefined;
  payload.metadata['type'] = encoder.encode('KeywordList');
  return {
    commandType: CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    upsertWorkflowSearchAttributesCommandAttributes: { searchAttributes: { indexedFields: { [CHANGE_VERSION_SEARCH_ATTRIBUTE]: payload } } },
  };
}

/** State machine of one patch marker. */
export class PatchMachine extends StateMachine {
  readonly name = 'Patch';
  protected current: 'MarkerCommandCreated' | 'Notified' | 'MarkerCommandRecorded' = 'MarkerCommandCreated';

  constructor(readonly patchId: string) {
    super();
  }

  isFinal(): boolean {
    return this.current === 'MarkerCommandRecorded';
  }

  /** Whether this machine is for `patchId`. */
  matches(patchId: string): boolean {
    return this.patchId === patchId;
  }

  override handleCommand(commandType: number): MachineResponse[] {
    if (commandType !== CommandType.COMMAND_TYPE_RECORD_MARKER || this.current !== 'MarkerCommandCreated') return super.handleCommand(commandType);
    this.current = 'Notified';
    return [];
  }

  protected override acceptsCommand(): boolean {
    return false;
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const details = patchMarkerDetails(ctx.event);
    if (!details || this.current !== 'Notified') throw this.unexpected(ctx);
    if (details.patchId !== this.patchId) {
      throw new MachineMismatch(`RecordMarker(markerName=core_patch, patchId=${details.patchId})`, `RecordMarker(markerName=core_patch, patchId=${this.patchId})`);
    }
    this.current = 'MarkerCommandRecorded';
    return [];
  }
}
