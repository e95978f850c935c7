import { describe, expect, it } from 'vitest';
import {
  isAuthenticationFailure,
  isOwnChange,
  parseCdcMessage,
  replayRejectionReason,
} from './cdc-message.js';

const header = {
  entityName: 'Account',
  recordIds: ['0017Q00000EiRcfQAF'],
  changeType: 'UPDATE',
  changedFields: ['Rating', 'LastModifiedDate'],
  changeOrigin: 'com/salesforce/api/rest/62.0;client=pardot-x3',
  transactionKey: '0002ac83-fcbd-9443-f901-7d3a380feb2c',
  sequenceNumber: 1,
  commitTimestamp: 1658929209000,
  commitUser: '0057Q000002aGVkQAM',
  commitNumber: 278750099253,
};

describe('parseCdcMessage', () => {
  it('reads a change event with its replay id and flags our own writes as echoes', () => {
    const event = parseCdcMessage(
      '/data/AccountChangeEvent',
      {
        schema: 'abc',
        payload: { ChangeEventHeader: header, Rating: 'Hot', Name: null },
        event: { replayId: 3223481 },
      },
      'pardot-x3',
    );
    expect(event).toMatchObject({
      kind: 'change',
      cdcReplayId: 3223481,
      echo: true,
      fields: { Rating: 'Hot', Name: null },
    });
    const theirs = parseCdcMessage(
      '/data/AccountChangeEvent',
      {
        payload: {
          ChangeEventHeader: {
            ...header,
            changeOrigin: 'com/salesforce/api/soap/55.0;client=SfdcInternalAPI/',
          },
        },
        event: { replayId: 5 },
      },
      'pardot-x3',
    );
    expect(theirs.kind === 'change' && theirs.echo).toBe(false);
  });

  it('surfaces GAP events separately so the caller reads the records by id', () => {
    const event = parseCdcMessage(
      '/data/ChangeEvents',
      { payload: { ChangeEventHeader: { ...header, changeType: 'GAP_UPDATE' } }, event: { replayId: 9 } },
      'pardot-x3',
    );
    expect(event).toMatchObject({
      kind: 'gap',
      cdcReplayId: 9,
      header: { recordIds: ['0017Q00000EiRcfQAF'] },
    });
  });

  it('refuses messages that are not change events', () => {
    expect(() => parseCdcMessage('/data/ChangeEvents', { payload: {} }, 'x')).toThrow(
      /not a Change Data Capture event/,
    );
  });
});

describe('isOwnChange', () => {
  it('matches the client exactly, not a prefix', () => {
    expect(isOwnChange('com/salesforce/api/rest/62.0;client=pardot-x3', 'pardot-x3')).toBe(true);
    expect(isOwnChange('com/salesforce/api/rest/62.0;client=pardot-x3-staging', 'pardot-x3')).toBe(false);
    expect(isOwnChange('', 'pardot-x3')).toBe(false);
  });
});

describe('CometD replies', () => {
  it('recognises a refused replay id on /meta/subscribe', () => {
    const reason =
      '400::The replayId {82} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.';
    expect(replayRejectionReason({ channel: '/meta/subscribe', successful: false, error: reason })).toBe(
      reason,
    );
    expect(
      replayRejectionReason({ channel: '/meta/subscribe', successful: false, error: '403::Unknown channel' }),
    ).toBeUndefined();
    expect(replayRejectionReason({ channel: '/meta/subscribe', successful: true })).toBeUndefined();
  });

  it('recognises an authentication failure on handshake/connect', () => {
    expect(
      isAuthenticationFailure({
        channel: '/meta/handshake',
        successful: false,
        error: '403::Handshake denied',
        ext: { sfdc: { failureReason: '401::Authentication invalid' } },
      }),
    ).toBe(true);
    expect(
      isAuthenticationFailure({
        channel: '/meta/connect',
        successful: false,
        error: '401::Authentication invalid',
      }),
    ).toBe(true);
    expect(
      isAuthenticationFailure({ channel: '/meta/connect', successful: false, error: '403::Unknown client' }),
    ).toBe(false);
  });
});
