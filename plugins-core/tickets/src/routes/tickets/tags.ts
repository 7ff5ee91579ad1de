/**
 * The API reference's group for the ticket routes.
 * @module
 */
export const TICKET_TAGS = ['tickets'];
