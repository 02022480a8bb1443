import { describe, expect, it } from 'vitest';
import { isTyping, shortcutOf } from './useShortcuts';

const press = (key: string, target: EventTarget | null = document.body, extra: Partial<KeyboardEvent> = {}) => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  defaultPrevented: false,
  target,
  ...extra,
});

describe('shortcuts', () => {
  it('knows a field from the page', () => {
    const input = document.createElement('input');
    expect(isTyping(input)).toBe(true);
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(isTyping(box)).toBe(false);
    expect(isTyping(document.createElement('textarea'))).toBe(true);
    expect(isTyping(document.createElement('button'))).toBe(false);
  });

  it('answers the known keys outside fields, without modifiers', () => {
    const keys = ['/', 'a', '?'];
    expect(shortcutOf(press('/'), keys)).toBe('/');
    expect(shortcutOf(press('?'), keys)).toBe('?');
    expect(shortcutOf(press('b'), keys)).toBeNull();
    expect(shortcutOf(press('a', document.createElement('input')), keys)).toBeNull();
    expect(shortcutOf(press('a', document.body, { ctrlKey: true }), keys)).toBeNull();
    const menu = document.createElement('div');
    menu.setAttribute('role', 'menu');
    const item = document.createElement('button');
    menu.append(item);
    expect(shortcutOf(press('a', item), keys)).toBeNull();
  });
});
