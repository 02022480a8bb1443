import { describe, expect, it } from 'vitest';
import { categoriesLabel, categoryName } from './categories';

describe('Jackett categories in French', () => {
  it.each([
    ['Movies', 'Films'],
    ['Movies/UHD', 'Films · UHD'],
    ['Movies/Foreign', 'Films · Étranger'],
    ['TV/HD', 'Séries TV · HD'],
    ['TV/Anime', 'Séries TV · Animation'],
    ['Audio/MP3', 'Audio · MP3'],
    ['Audio/Audiobook', 'Audio · Livres audio'],
    ['PC/Games', 'PC · Jeux'],
    ['Books/EBook', 'Livres · Livres numériques'],
    ['Console/XBox 360', 'Consoles · Xbox 360'],
    ['XXX', 'Adultes'],
    ['Other', 'Autre'],
    ['Other/Misc', 'Autre · Divers'],
    // Unknown sub-category: the top in French, the rest as is; unknown top: as is.
    ['Movies/8K', 'Films · 8K'],
    ['Anime VOSTFR', 'Anime VOSTFR'],
    ['a.b', 'a.b'],
  ])('%s → %s', (name, label) => {
    expect(categoryName(name)).toBe(label);
  });

  it('keeps only the most precise of a result’s categories', () => {
    expect(categoriesLabel('Movies, Movies/HD')).toBe('Films · HD');
    expect(categoriesLabel('Movies, Movies/UHD, Movies/Foreign')).toBe('Films · UHD, Films · Étranger');
    expect(categoriesLabel('TV')).toBe('Séries TV');
    expect(categoriesLabel('Movies, TV/HD')).toBe('Films, Séries TV · HD');
    expect(categoriesLabel('')).toBe('');
    expect(categoriesLabel(' , ')).toBe('');
  });
});
