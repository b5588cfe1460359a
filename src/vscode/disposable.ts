// One owner for every disposable: a base class whose `_register()` keeps a disposable until
// the owner is disposed, and disposes it at once when the owner is already gone.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables.splice(0));
  }

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }
}

/** Disposes each item, in reverse order of registration; one failure does not stop the rest. */
export function disposeAll(items: vscode.Disposable[]): void {
  for (const d of items.reverse()) {
    try {
      d.dispose();
    } catch {
      // A broken disposable must not keep the others alive.
    }
  }
}
