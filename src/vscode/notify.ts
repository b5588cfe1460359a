// SpecGate's notifications. Each message (and a modal's detail) goes through noLinks: text
// SpecGate does not control (spec names, paths, git's and ssh-keygen's words, a record's
// comment) is shown as text, never as a link that runs a command. A check in the unit tests
// keeps every notification of src/vscode on these functions.
import * as vscode from 'vscode';
import { noLinks } from './messages';

type Rest<T> = [options: vscode.MessageOptions, ...items: T[]] | T[];

function clean<T>(rest: Rest<T>): Rest<T> {
  // Items are strings: an object first is the options.
  const [first, ...others] = rest;
  if (typeof first !== 'object' || first === null) return rest;
  const options = first as vscode.MessageOptions;
  return options.detail === undefined ? rest : [{ ...options, detail: noLinks(options.detail) }, ...(others as T[])];
}

/** vscode.window.showInformationMessage, its text shown as text. */
export function showInformation<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return (vscode.window.showInformationMessage as (m: string, ...r: unknown[]) => Thenable<T | undefined>)(noLinks(message), ...clean(rest));
}

/** vscode.window.showWarningMessage, its text shown as text. */
export function showWarning<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return (vscode.window.showWarningMessage as (m: string, ...r: unknown[]) => Thenable<T | undefined>)(noLinks(message), ...clean(rest));
}

/** vscode.window.showErrorMessage, its text shown as text. */
export function showError<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return (vscode.window.showErrorMessage as (m: string, ...r: unknown[]) => Thenable<T | undefined>)(noLinks(message), ...clean(rest));
}
