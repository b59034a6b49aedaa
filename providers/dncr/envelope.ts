/**
 * DNCR SOAP 1.1 request envelopes (RPC/encoded, namespace http://rtw.dncrtelem) for WashNumbers
 * and GetWashResult; the operations are described in the header of soap.ts.
 */
import type { DncrOperation } from './errors.js';

export const DNCR_NAMESPACE = 'http://rtw.dncrtelem';
const SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAPENC = 'http://schemas.xmlsoap.org/soap/encoding/';

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface DncrCredentials {
  telemarketerId: string;
  washOnlyUserId: string;
  password: string;
}

function envelope(operation: DncrOperation, creds: DncrCredentials, clientReferenceId: string, numbers?: string[]): string {
  const str = (name: string, value: string) => `<${name} xsi:type="xsd:string">${xmlEscape(value)}</${name}>`;
  const parts = [
    str('TelemarketerId', creds.telemarketerId),
    str('WashOnlyUserId', creds.washOnlyUserId),
    str('TelemarketerPassword', creds.password),
    str('ClientReferenceId', clientReferenceId),
  ];
  if (numbers) {
    parts.push(
      `<NumbersToWash xsi:type="rtw:ArrayOf_xsd_anyType" soapenc:arrayType="xsd:anyType[${numbers.length}]">` +
        numbers.map((n) => str('Number', n)).join('') +
        `</NumbersToWash>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV}" xmlns:soapenc="${SOAPENC}" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:rtw="${DNCR_NAMESPACE}">` +
    `<soapenv:Body><rtw:${operation} soapenv:encodingStyle="${SOAPENC}">${parts.join('')}</rtw:${operation}></soapenv:Body>` +
    `</soapenv:Envelope>`
  );
}

export function buildWashNumbersEnvelope(creds: DncrCredentials, clientReferenceId: string, nationalNumbers: string[]): string {
  return envelope('WashNumbers', creds, clientReferenceId, nationalNumbers);
}

export function buildGetWashResultEnvelope(creds: DncrCredentials, clientReferenceId: string): string {
  return envelope('GetWashResult', creds, clientReferenceId);
}
