import { displayValue } from '../harmonisation/value-display.util.js';
import type { Condition, Scalar } from '../template/mapping-template.types.js';
import { readSourcePath, type PathScope } from '../template/source-path.util.js';

export interface ConditionOutcome {
  readonly holds: boolean;
  /** Why, in words: `StageName is "Negotiation", not "Closed Won"`. */
  readonly explanation: string;
}

/** Evaluates a template condition against a record, explaining the outcome either way. */
export function evaluateCondition(condition: Condition, scope: PathScope): ConditionOutcome {
  switch (condition.kind) {
    case 'all': {
      const outcomes = condition.conditions.map((inner) => evaluateCondition(inner, scope));
      const failed = outcomes.filter((outcome) => !outcome.holds);
      return failed.length === 0
        ? { holds: true, explanation: outcomes.map((o) => o.explanation).join(' and ') }
        : { holds: false, explanation: failed.map((o) => o.explanation).join(' and ') };
    }
    case 'any': {
      const outcomes = condition.conditions.map((inner) => evaluateCondition(inner, scope));
      const held = outcomes.find((outcome) => outcome.holds);
      return held
        ? { holds: true, explanation: held.explanation }
        : { holds: false, explanation: outcomes.map((o) => o.explanation).join(' and ') };
    }
    case 'not': {
      const inner = evaluateCondition(condition.condition, scope);
      return { holds: !inner.holds, explanation: inner.explanation };
    }
    case 'field':
      return evaluateFieldCondition(condition, readSourcePath(scope, condition.field));
  }
}

export function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function evaluateFieldCondition(
  condition: Extract<Condition, { kind: 'field' }>,
  value: unknown,
): ConditionOutcome {
  const { field, operator, operand, ignoreCase } = condition;
  const shown = `${field} is ${isEmptyValue(value) ? 'empty' : displayValue(value)}`;
  const norm = (v: unknown): string => {
    const text =
      typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    return ignoreCase ? text.toLowerCase() : text;
  };
  const isScalarValue = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  const list = (Array.isArray(operand) ? operand : [operand]) as Scalar[];
  const listText = list.map((v) => JSON.stringify(v)).join(', ');
  switch (operator) {
    case 'present':
      return {
        holds: !isEmptyValue(value),
        explanation: isEmptyValue(value) ? `${field} is empty` : `${field} is present`,
      };
    case 'absent':
      return {
        holds: isEmptyValue(value),
        explanation: isEmptyValue(value) ? `${field} is empty` : `${shown}`,
      };
    case 'equals': {
      const holds = isScalarValue && norm(value) === norm(operand);
      return { holds, explanation: holds ? shown : `${shown}, not ${JSON.stringify(operand)}` };
    }
    case 'notEquals': {
      const holds = !(isScalarValue && norm(value) === norm(operand));
      return { holds, explanation: holds ? `${shown}, not ${JSON.stringify(operand)}` : shown };
    }
    case 'in': {
      const holds = isScalarValue && list.some((candidate) => norm(candidate) === norm(value));
      return { holds, explanation: holds ? shown : `${shown}, not one of ${listText}` };
    }
    case 'notIn': {
      const holds = !(isScalarValue && list.some((candidate) => norm(candidate) === norm(value)));
      return {
        holds,
        explanation: holds ? `${shown}, not one of ${listText}` : `${shown}, one of ${listText}`,
      };
    }
    case 'matches': {
      const holds = isScalarValue && new RegExp(String(operand), ignoreCase ? 'i' : '').test(norm(value));
      return {
        holds,
        explanation: holds
          ? `${shown}, matching /${String(operand)}/`
          : `${shown}, not matching /${String(operand)}/`,
      };
    }
    case 'greaterThan':
    case 'lessThan': {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : Number.NaN;
      if (Number.isNaN(number)) return { holds: false, explanation: `${shown}, not a number` };
      const holds = operator === 'greaterThan' ? number > Number(operand) : number < Number(operand);
      const relation = operator === 'greaterThan' ? 'greater' : 'less';
      return { holds, explanation: `${shown}, ${holds ? '' : 'not '}${relation} than ${String(operand)}` };
    }
  }
}
