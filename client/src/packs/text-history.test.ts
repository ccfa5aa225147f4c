import { describe, expect, it } from 'vitest';
import { TextHistory } from './text-history.ts';

describe('TextHistory', () => {
  it('paste-replace, then the app changes the value twice: undo steps back through what the field showed', () => {
    const history = new TextHistory('Multi');
    history.edited('Multi v2', 'insertFromPaste');
    history.replaced('Multi'); // the app's Undo
    history.replaced('Multi v2'); // the app's Redo
    expect(history.undo()).toBe('Multi');
    expect(history.undo()).toBe('Multi v2');
    expect(history.undo()).toBe('Multi');
    expect(history.undo()).toBeUndefined();
    expect(history.redo()).toBe('Multi v2');
  });

  it('coalesces typing into one step, as the browser does', () => {
    const history = new TextHistory('');
    for (const value of ['O', 'Or', 'Ord', 'Orde', 'Order']) history.edited(value, 'insertText');
    history.edited('Orders!', 'insertFromPaste');
    history.edited('Orders', 'deleteContentBackward');
    expect(history.undo()).toBe('Orders!');
    expect(history.undo()).toBe('Order');
    expect(history.undo()).toBe('');
    expect(history.undo()).toBeUndefined();
  });

  it('a new edit after undo drops the steps that were undone', () => {
    const history = new TextHistory('a');
    history.edited('ab', 'insertFromPaste');
    expect(history.undo()).toBe('a');
    history.edited('ac', 'insertFromPaste');
    expect(history.redo()).toBeUndefined();
    expect(history.undo()).toBe('a');
  });

  it('does not record a value that did not change', () => {
    const history = new TextHistory('same');
    history.replaced('same');
    history.edited('same', 'insertText');
    expect(history.undo()).toBeUndefined();
  });
});
