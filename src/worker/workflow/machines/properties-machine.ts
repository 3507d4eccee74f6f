/**
 * Fire-and-forget commands that change the run's properties — UpsertWorkflowSearchAttributes and
 * ModifyWorkflowProperties (memo) — each matched with its event; only the kind is compared, not the
 * values, as in Core.
 *
 * @module
 */
import type { ModifyWorkflowPropertiesCommand, PayloadMap } from '../../../workflow/runtime/protocol.js';
import { CHANGE_VERSION_SEARCH_ATTRIBUTE, CommandType, EventType, eventTypeOf } from '../history-events.js';
import { CoreFlag, type InternalFlags } from '../internal-flags.js';
import { StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

/** Which property command a {@link PropertiesMachine} carries. */
export type PropertiesKind = 'upsertSearchAttributes' | 'modifyProperties';

const KINDS: Record<PropertiesKind, { name: string; command: number; event: number }> = {
  upsertSearchAttributes: {
    name: 'UpsertSearchAttributes',
    command: CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    event: EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  },
  modifyProperties: {
    name: 'ModifyWorkflowProperties',
    command: CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES,
    event: EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  },
};

/**
 * The UpsertWorkflowSearchAttributes command for the workflow's upsert. Workflow code may not set
 * TemporalChangeVersion itself once Core manages it (the UpsertSearchAttributeOnPatch flag): such an
 * upsert is sent empty, as Core does.
 */
export function upsertSearchAttributesCommand(searchAttributes: PayloadMap, flags: InternalFlags, replaying: boolean): ICommand {
  const managed = flags.tryUse(CoreFlag.UpsertSearchAttributeOnPatch, !replaying);
  const fields = managed && CHANGE_VERSION_SEARCH_ATTRIBUTE in searchAttributes ? {} : { ...searchAttributes };
  return {
    commandType: CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    upsertWorkflowSearchAttributesCommandAttributes: { searchAttributes: { indexedFields: fields } },
  };
}

/** The ModifyWorkflowProperties command (memo upsert). */
export function modifyPropertiesCommand(cmd: ModifyWorkflowPropertiesCommand): ICommand {
  return {
    commandType: CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES,
    modifyWorkflowPropertiesCommandAttributes: { upsertedMemo: { fields: { ...cmd.upsertedMemo } } },
  };
}

/** State machine of one property command: issued, then recorded. */
export class PropertiesMachine extends StateMachine {
  readonly name: string;
  protected current: 'Created' | 'CommandIssued' | 'Done' = 'Created';

  constructor(readonly kind: PropertiesKind) {
    super();
    this.name = KINDS[kind].name;
  }

  isFinal(): boolean {
    return this.current === 'Done';
  }

  override handleCommand(commandType: number): MachineResponse[] {
    if (commandType !== KINDS[this.kind].command || this.current !== 'Created') return super.handleCommand(commandType);
    this.current = 'CommandIssued';
    return [];
  }

  protected override acceptsCommand(): boolean {
    return false;
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    if (eventTypeOf(ctx.event) !== KINDS[this.kind].event || this.current !== 'CommandIssued') throw this.unexpected(ctx);
    this.current = 'Done';
    return [];
  }
}
