// portabilite web: keyboard review, live progress, avatars when allowed.
// No library: the forms work without this file; it only adds keys and live updates.
// Never innerHTML: text from archives and servers is set as text.
"use strict";

function cards() {
  return Array.from(document.querySelectorAll("li.card"));
}

function focusCard(card) {
  if (card) {
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }
}

function setUpReview() {
  const all = cards();
  if (!all.length) return;
  const wanted = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  focusCard(wanted || all[0]);
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT")) return;
    const list = cards();
    const current = document.activeElement && document.activeElement.closest("li.card");
    const index = current ? list.indexOf(current) : -1;
    const key = event.key.toLowerCase();
    if (key === "j" || key === "arrowdown" || key === "n") {
      focusCard(list[Math.min(index + 1, list.length - 1)]);
    } else if (key === "k" || key === "arrowup" || key === "p") {
      focusCard(list[Math.max(index - 1, 0)]);
    } else if ((key === "a" || key === "r") && current) {
      const button = current.querySelector(`button[data-key="${key}"]`);
      if (button) button.form.requestSubmit(button);
    } else {
      return;
    }
    event.preventDefault();
  });
}

function setUpJob() {
  const section = document.querySelector("section.job[data-job]");
  if (!section) return;
  const kind = section.dataset.job;
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const tick = async () => {
    let job = null;
    try {
      const answer = await fetch(`/jobs/${encodeURIComponent(kind)}`, {
        credentials: "same-origin",
        cache: "no-store",
      });
      job = await answer.json();
    } catch (error) {
      setTimeout(tick, 2000); // the server is busy or restarting: try again
      return;
    }
    if (!job || job.state !== "running") {
      location.reload(); // the page shows the result
      return;
    }
    for (const [name, counts] of Object.entries(job.progress || {})) {
      let bar = section.querySelector(`progress[data-name="${CSS.escape(name)}"]`);
      if (!bar) {
        const p = document.createElement("p");
        bar = document.createElement("progress");
        bar.dataset.name = name;
        p.append(bar);
        section.append(p);
      }
      bar.max = Math.max(counts[1], 1);
      bar.value = counts[0];
      const count = section.querySelector(`span.count[data-name="${CSS.escape(name)}"]`);
      if (count) count.textContent = `${number.format(counts[0])} / ${number.format(counts[1])}`;
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}

async function avatarsFromBluesky(list) {
  for (let i = 0; i < list.length; i += 25) {
    const part = list.slice(i, i + 25);
    const query = part.map((c) => `actors=${encodeURIComponent(c.dataset.account)}`).join("&");
    try {
      const answer = await fetch(
        `https://public.api.bsky.app/xrpc/app.bsky.actor.getProfiles?${query}`,
        { credentials: "omit", referrerPolicy: "no-referrer" }
      );
      const body = await answer.json();
      for (const profile of body.profiles || []) {
        for (const card of part) {
          if (card.dataset.account === profile.did || card.dataset.account === profile.handle) {
            showAvatar(card, profile.avatar);
          }
        }
      }
    } catch (error) {
      /* placeholders stay */
    }
  }
}

async function avatarFromMastodon(card) {
  const [user, host] = card.dataset.account.replace(/^@/, "").split("@");
  if (!user || !host || !/^[a-z0-9.-]+$/i.test(host)) return;
  try {
    const answer = await fetch(
      `https://${host}/api/v1/accounts/lookup?acct=${encodeURIComponent(user)}`,
      { credentials: "omit", referrerPolicy: "no-referrer" }
    );
    const account = await answer.json();
    showAvatar(card, account.avatar_static);
  } catch (error) {
    /* placeholders stay */
  }
}

function showAvatar(card, url) {
  if (typeof url !== "string" || !url.startsWith("https://")) return;
  const image = document.createElement("img");
  image.src = url;
  image.alt = "";
  image.referrerPolicy = "no-referrer";
  image.loading = "lazy";
  const place = card.querySelector(".avatar");
  place.replaceChildren(image);
}

function setUpAvatars() {
  if (document.body.dataset.avatars !== "on") return;
  const all = cards();
  avatarsFromBluesky(all.filter((c) => c.dataset.network === "bluesky"));
  // one Mastodon server at a time, a few accounts: never a burst at a small instance
  const mastodon = all.filter((c) => c.dataset.network === "mastodon").slice(0, 50);
  (async () => {
    for (const card of mastodon) {
      await avatarFromMastodon(card);
      await new Promise((done) => setTimeout(done, 250));
    }
  })();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpReview();
  setUpJob();
  setUpAvatars();
});
