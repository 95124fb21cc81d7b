import { describe, expect, it } from 'vitest';
import { describeSubscription, fieldOfPluginMessage, parseSubscriptionForm } from './subscriptions';
import { KIND_LABELS } from './present';

const options = {
  products: [
    { name: 'Aurora Pulse', slug: 'aurora-pulse' },
    { name: 'Aurora Vault', slug: 'aurora-vault' },
  ],
  regions: [{ name: 'EMEA', slug: 'emea' }],
};

const form = (entries: [string, string][]) => new URLSearchParams(entries);

describe('parseSubscriptionForm', () => {
  it('turns ticked boxes into a subscription, repeats and blanks removed', () => {
    const r = parseSubscriptionForm(
      form([
        ['products', 'aurora-pulse'],
        ['products', 'aurora-pulse'],
        ['regions', ''],
        ['kinds', 'deck'],
        ['channels', 'inbox'],
        ['channels', 'email'],
        ['cadence', 'daily'],
      ]),
      options
    );
    expect(r).toEqual({ ok: true, subscription: { products: ['aurora-pulse'], regions: [], kinds: ['deck'], channels: ['inbox', 'email'], cadence: 'daily' } });
  });

  it('says per field what is wrong, in words a rep understands', () => {
    const r = parseSubscriptionForm(
      form([
        ['products', 'aurora-toaster'],
        ['regions', 'mars'],
        ['regions', 'venus'],
        ['kinds', 'hologram'],
        ['channels', 'email'],
        ['cadence', 'hourly'],
      ]),
      options
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      products: '“aurora-toaster” is not a product we know. Choose from the list.',
      regions: '“mars”, “venus” are not regions we know. Choose from the list.',
      kinds: '“hologram” is not a kind of material we know. Choose from the list.',
      channels: 'The Candor inbox cannot be turned off: keep it ticked.',
      cadence: 'Choose how often to get informational emails: as it happens, daily or weekly.',
    });
    // What the rep chose comes back, so the form can show it again.
    expect(r.submitted.regions).toEqual(['mars', 'venus']);
    expect(r.submitted.cadence).toBe('hourly');
  });

  it('asks for a cadence when none was chosen', () => {
    const r = parseSubscriptionForm(form([['channels', 'inbox']]), options);
    expect(r.ok ? null : r.errors).toEqual({ cadence: 'Choose how often to get informational emails: as it happens, daily or weekly.' });
  });

  it('lets the plugin’s contract have the last word', () => {
    const many = { products: Array.from({ length: 201 }, (_, i) => ({ name: `P${i}`, slug: `p-${i}` })), regions: [] };
    const r = parseSubscriptionForm(form([...many.products.map((p): [string, string] => ['products', p.slug]), ['channels', 'inbox'], ['cadence', 'instant']]), many);
    expect(r.ok ? null : r.errors).toEqual({ products: 'Choose products from the list.' });
  });
});

describe('fieldOfPluginMessage', () => {
  it('finds the field a plugin refusal names', () => {
    expect(fieldOfPluginMessage('The subscription is invalid: channels: the portal inbox cannot be turned off')).toBe('channels');
    expect(fieldOfPluginMessage('The subscription is invalid: cadence must be one of: instant, daily, weekly')).toBe('cadence');
    expect(fieldOfPluginMessage('Something else broke')).toBeNull();
  });
});

describe('describeSubscription', () => {
  it('names what the rep hears about, "every" for empty lists', () => {
    expect(describeSubscription({ products: [], regions: [], kinds: [], channels: ['inbox'], cadence: 'instant' }, options, KIND_LABELS)).toBe(
      'You hear about every product; every region; every kind of material.'
    );
    expect(describeSubscription({ products: ['aurora-vault'], regions: ['emea'], kinds: ['deck', 'battlecard'], channels: ['inbox'], cadence: 'instant' }, options, KIND_LABELS)).toBe(
      'You hear about Aurora Vault; EMEA; Deck, Battlecard.'
    );
  });
});
