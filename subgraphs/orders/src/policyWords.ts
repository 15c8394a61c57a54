/**
 * The orders policy in words, each sentence typed once. A refused caller's FORBIDDEN message, the
 * audit log's `rule` and docs/permissions.md all quote these; the Cedar and Rego policies
 * (policy/) give the same sentences as their reasons, and the engine comparison holds them to it.
 */
import { CANCEL_WINDOW_MINUTES } from './cancelWindow.ts';

export const ORDER_WORDS = {
  read: "Only the order's owner, warehouse staff and admins can read an order",
  listAll: 'Only admins can list all orders',
  place: 'Any signed-in user can place an order',
  cancelOwn: 'Only signed-in users can cancel their orders',
  process: 'Only warehouse staff can process orders',
  checkExists: 'Only payment processors and admins can check whether an order exists',
  mustExist: 'The order must exist',
  ownerCancels: "Only the order's owner can cancel it",
  cancelWindow: `An order can only be cancelled within ${CANCEL_WINDOW_MINUTES} minutes of being placed`,
} as const;

export const onlyPendingWords = (action: 'cancelled' | 'processed') => `Only a pending order can be ${action}`;
