// Starter files for a new spec in each supported layout. Pure: names in, paths and text out.
import { UsageError } from '../../core/model';

export type Layout = 'kiro' | 'speckit' | 'openspec' | 'plain';

export interface TemplateFile {
  /** Repo-relative path. */
  path: string;
  text: string;
}

export interface SpecTemplate {
  files: TemplateFile[];
  /** The file to open afterwards (the tasks, or the single spec file). */
  open: string;
  /** The spec's id as SpecGate lists it: its folder, or the single file of a plain spec. */
  id: string;
}

export const LAYOUTS: readonly { layout: Layout; label: string; detail: string }[] = [
  { layout: 'kiro', label: 'Kiro', detail: '.kiro/specs/<name>/ requirements.md, design.md, tasks.md' },
  { layout: 'speckit', label: 'spec-kit', detail: 'specs/NNN-<name>/ spec.md, plan.md, tasks.md' },
  { layout: 'openspec', label: 'OpenSpec', detail: 'openspec/changes/<name>/ proposal.md, design.md, tasks.md' },
  { layout: 'plain', label: 'Plain spec', detail: 'docs/specs/<name>.md with scope front matter' },
];

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Undefined when valid, else a one-line reason (for an input box's validation). */
export function checkSpecName(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  return 'Use lowercase letters, digits and dashes (e.g. billing-retry), at most 63 characters.';
}

function title(name: string): string {
  return name
    .split('-')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** The next spec-kit number after the existing `specs/NNN-*` folders. */
export function nextSpeckitNumber(existingFolders: readonly string[]): string {
  let max = 0;
  for (const f of existingFolders) {
    const m = /^(\d{3,})-/.exec(f);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return String(max + 1).padStart(3, '0');
}

const lines = (...xs: string[]): string => `${xs.join('\n')}\n`;

export function specTemplate(layout: Layout, name: string, speckitFolders: readonly string[] = []): SpecTemplate {
  const bad = checkSpecName(name);
  if (bad) throw new UsageError(`spec name ${JSON.stringify(name)}: ${bad}`);
  const t = title(name);
  switch (layout) {
    case 'kiro': {
      const dir = `.kiro/specs/${name}`;
      return {
        open: `${dir}/tasks.md`,
        id: dir,
        files: [
          {
            path: `${dir}/requirements.md`,
            text: lines(
              `# Requirements Document`,
              ``,
              `## Introduction`,
              ``,
              `${t}: what this change is for, in two or three sentences.`,
              ``,
              `## Requirements`,
              ``,
              `### Requirement 1: <title>`,
              ``,
              `**User Story:** As a <role>, I want <capability>, so that <benefit>.`,
              ``,
              `#### Acceptance Criteria`,
              ``,
              `1. WHEN <event> THEN the system SHALL <response>`,
              `2. IF <condition> THEN the system SHALL <response>`,
            ),
          },
          {
            path: `${dir}/design.md`,
            text: lines(
              `# Design Document`,
              ``,
              `## Overview`,
              ``,
              `How ${t} works. Name the files it touches in backticks, e.g. \`src/example.ts\`.`,
              ``,
              `## Non-Goals`,
              ``,
              `- <what this change must not touch>`,
            ),
          },
          {
            path: `${dir}/tasks.md`,
            text: lines(
              `# Implementation Plan`,
              ``,
              `- [ ] 1. First task, naming the files it changes: \`src/example.ts\``,
              `  - What to do, step by step`,
              `  - _Requirements: 1.1, 1.2_`,
            ),
          },
        ],
      };
    }
    case 'speckit': {
      const dir = `specs/${nextSpeckitNumber(speckitFolders)}-${name}`;
      return {
        open: `${dir}/tasks.md`,
        id: dir,
        files: [
          {
            path: `${dir}/spec.md`,
            text: lines(
              `# Feature Specification: ${t}`,
              ``,
              `## User Scenarios & Testing`,
              ``,
              `### User Story 1 - <title> (Priority: P1)`,
              ``,
              `<what the user does and why>`,
              ``,
              `## Requirements`,
              ``,
              `### Functional Requirements`,
              ``,
              `- **FR-001**: System MUST <capability>`,
              ``,
              `## Success Criteria`,
              ``,
              `- **SC-001**: <measurable outcome>`,
            ),
          },
          {
            path: `${dir}/plan.md`,
            text: lines(
              `# Implementation Plan: ${t}`,
              ``,
              `## Project Structure`,
              ``,
              '```text',
              `src/`,
              `└── example.ts`,
              '```',
            ),
          },
          {
            path: `${dir}/tasks.md`,
            text: lines(`# Tasks: ${t}`, ``, `## Phase 1: Setup`, ``, `- [ ] T001 [US1] First task in src/example.ts`),
          },
        ],
      };
    }
    case 'openspec': {
      const dir = `openspec/changes/${name}`;
      return {
        open: `${dir}/tasks.md`,
        id: dir,
        files: [
          {
            path: `${dir}/proposal.md`,
            text: lines(
              `# Change: ${t}`,
              ``,
              `## Why`,
              ``,
              `<the problem, in one or two sentences>`,
              ``,
              `## What Changes`,
              ``,
              `- <the change>`,
              ``,
              `## Impact`,
              ``,
              `- Affected code: \`src/example.ts\``,
            ),
          },
          {
            path: `${dir}/design.md`,
            text: lines(`## Context`, ``, `<background>`, ``, `## Goals / Non-Goals`, ``, `- Non-Goals: <what stays untouched>`),
          },
          {
            path: `${dir}/specs/${name}/spec.md`,
            text: lines(
              `## ADDED Requirements`,
              ``,
              `### Requirement: ${t}`,
              `The system SHALL <capability>.`,
              ``,
              `#### Scenario: <name>`,
              `- **WHEN** <event>`,
              `- **THEN** <outcome>`,
            ),
          },
          {
            path: `${dir}/tasks.md`,
            text: lines(`## 1. Implementation`, ``, `- [ ] 1.1 First task in \`src/example.ts\``),
          },
        ],
      };
    }
    case 'plain': {
      const file = `docs/specs/${name}.md`;
      return {
        open: file,
        id: file,
        files: [
          {
            path: file,
            text: lines(
              `---`,
              `scope:`,
              `  - src/example.ts`,
              `out_of_scope:`,
              `  - src/unrelated/**`,
              `protected: []`,
              `---`,
              ``,
              `# ${t}`,
              ``,
              `What this change does and why.`,
            ),
          },
        ],
      };
    }
  }
}
