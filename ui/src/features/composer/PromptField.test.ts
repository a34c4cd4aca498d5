import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import PromptField from './PromptField.svelte';

const props = {
  label: 'Prompt',
  value: 'A lighthouse',
  limit: 10,
  problem: { key: 'form.tooLong', params: { count: 12, limit: 10 } } as const,
  showProblem: false,
  testId: 'image-prompt',
  countTestId: 'image-count-chars',
  rows: 5,
  placeholder: 'Describe it',
};

describe('the prompt field', () => {
  it('labels the text box with its count and keeps the test id', () => {
    const view = render(PromptField, props);
    const box = view.getByTestId('image-prompt') as HTMLTextAreaElement;
    expect(view.getByLabelText(/Prompt/)).toBe(box);
    expect(box.value).toBe('A lighthouse');
    expect(box.rows).toBe(5);
    expect(view.getByTestId('image-count-chars').textContent).toBe('12 / 10');
  });

  it('says what is wrong only once asked to, and ties it to the box', () => {
    const quiet = render(PromptField, props);
    expect(quiet.getByTestId('image-prompt').getAttribute('aria-invalid')).toBe('false');
    expect(quiet.container.querySelector('.field-error')).toBeNull();
    quiet.unmount();

    const view = render(PromptField, { ...props, showProblem: true });
    const box = view.getByTestId('image-prompt');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(box.getAttribute('aria-describedby')!);
    expect(error?.textContent).toContain('12');
  });
});
