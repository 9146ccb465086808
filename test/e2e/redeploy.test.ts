import { afterAll, beforeAll, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { onDatabase } from './support/lifecycle.js';
import { REPO_ROOT, startPortico, type RunningPortico } from './support/server.js';
import { launchBrowser, samAtHisProjects, screenshot } from './support/browser.js';

// A redeploy under an open page (docs/architecture.md, "The web app's files"): Sam signed in before
// it, with the app's first files; the new build has taken the agent workspace's file of the old one
// away. His next click into a project gets the server's 404 for that file, and the page says so and
// offers Reload — not a blank screen — and Reload, with the new build in place, brings the page.
//
// The server runs from a copy of dist/ inside the repository (so its packages resolve as usual), and
// the "redeploy" is a change to the copy's web app: the built server finds its web app beside itself.

let copy: string;
let assets: string;
let portico: RunningPortico;
let browser: Browser;
let sam: Page;

onDatabase('pglite', 'a redeploy under an open page', () => {
  beforeAll(async () => {
    mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    copy = mkdtempSync(path.join(REPO_ROOT, 'test-results', 'redeploy-'));
    const notMaps = (source: string) => !source.endsWith('.map');
    cpSync(path.join(REPO_ROOT, 'dist/server'), path.join(copy, 'dist/server'), { recursive: true, filter: notMaps });
    cpSync(path.join(REPO_ROOT, 'dist/web'), path.join(copy, 'dist/web'), { recursive: true, filter: notMaps });
    assets = path.join(copy, 'dist/web/assets');
    portico = await startPortico({ entry: path.join(copy, 'dist/server/main.js') });
    browser = await launchBrowser();
    sam = await samAtHisProjects(browser, portico.url);
  });

  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("Sam's next page after a redeploy took its file away says it could not be loaded, and Reload brings it once the new build is there", async () => {
    const agentFiles = readdirSync(assets).filter((name) => /^agent-pages-.*\.js$/.test(name));
    expect(agentFiles).toHaveLength(1);
    const [agentFile] = agentFiles;
    const fetched: { url: string; status: number }[] = [];
    sam.on('response', (response) => {
      if (/\/assets\/agent-pages-[^/]*\.js$/.test(response.url())) fetched.push({ url: new URL(response.url()).pathname, status: response.status() });
    });

    // the redeploy: the old build's file of the agent workspace is gone
    const away = path.join(copy, 'held-back');
    mkdirSync(away);
    renameSync(path.join(assets, agentFile), path.join(away, agentFile));

    await sam.getByRole('link', { name: 'IT Help' }).click();
    await sam.getByRole('heading', { level: 1, name: 'This page could not be loaded' }).waitFor();
    expect(await sam.getByRole('alert').innerText()).toContain('Portico could not download this page');
    // (asked for once or twice: a module preload, then the import itself)
    expect(new Set(fetched.map((f) => `${f.status} ${f.url}`))).toEqual(new Set([`404 /assets/${agentFile}`]));
    await screenshot(sam, 'redeploy-page-could-not-be-loaded');

    // the new build is in place: Reload asks for the shell again, then for the files it names
    renameSync(path.join(away, agentFile), path.join(assets, agentFile));
    await sam.getByRole('button', { name: 'Reload' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Open requests' }).waitFor();
    expect(new URL(sam.url()).pathname).toBe('/s/acme/jira/servicedesk/projects/HELP/queues');
    expect(fetched.at(-1)).toEqual({ url: `/assets/${agentFile}`, status: 200 });
    await screenshot(sam, 'redeploy-reloaded');
  });
});
