import { defineLiveCollection } from 'astro:content';
import { kbAreasLoader, kbEntriesLoader } from './server/kb/live-loader.ts';

const entries = defineLiveCollection({ loader: kbEntriesLoader() });
const areas = defineLiveCollection({ loader: kbAreasLoader() });

export const collections = { entries, areas };
