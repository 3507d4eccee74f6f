// Workflow signatures and definitions shared by the type tests (declarations only; never run).
import { defineQuery, defineSignal, defineUpdate } from 'duraflow/client';

export declare function order(id: number, note?: string): Promise<{ total: number }>;
export declare function noArgs(): Promise<string>;
export declare function optionalOnly(flag?: boolean): Promise<void>;

export const addSignal = defineSignal<[string, number]>('add');
export const pingSignal = defineSignal('ping');
export const itemsQuery = defineQuery<string[], [number]>('items');
export const countQuery = defineQuery<number>('count');
export const addUpdate = defineUpdate<number, [string]>('addItem');
