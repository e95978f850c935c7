/** Pardot visitor activity `type` codes (apis.md §2.5, from Pardot's object field reference). */
export const VISITOR_ACTIVITY_TYPES: Readonly<Record<number, string>> = {
  1: 'Click',
  2: 'View',
  3: 'Error',
  4: 'Success',
  5: 'Session',
  6: 'Sent',
  7: 'Search',
  8: 'New Opportunity',
  9: 'Opportunity Won',
  10: 'Opportunity Lost',
  11: 'Open',
  12: 'Unsubscribe Page',
  13: 'Bounced',
  14: 'Spam Complaint',
  15: 'Email Preference Page',
  16: 'Resubscribed',
  17: 'Click (Third Party)',
  18: 'Opportunity Reopened',
  19: 'Opportunity Linked',
  20: 'Visit',
  21: 'Custom URL click',
  22: 'Olark Chat',
  23: 'Invited to Webinar',
  24: 'Attended Webinar',
  25: 'Registered for Webinar',
  26: 'Social Post Click',
  27: 'Video View',
  28: 'Event Registered',
  29: 'Event Checked In',
  30: 'Video Conversion',
  31: 'UserVoice Suggestion',
  32: 'UserVoice Comment',
  33: 'UserVoice Ticket',
  34: 'Video Watched (≥ 75% watched)',
};

/** The code of a type given by its name (any case) or its number. */
export function visitorActivityTypeCode(nameOrCode: string): number | undefined {
  if (/^\d+$/.test(nameOrCode))
    return VISITOR_ACTIVITY_TYPES[Number(nameOrCode)] === undefined ? undefined : Number(nameOrCode);
  const entry = Object.entries(VISITOR_ACTIVITY_TYPES).find(
    ([, name]) => name.toLowerCase() === nameOrCode.trim().toLowerCase(),
  );
  return entry ? Number(entry[0]) : undefined;
}
