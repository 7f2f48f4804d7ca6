/*
 * The demo shop's one script: its catalogue, its cart, and its Beckon instrumentation.
 *
 * The shop is instrumented the way the Apxor Web SDK's documentation instruments a site, so
 * that a reader can hold the two side by side:
 *   - every page load (and every return through the back/forward cache) is a page view;
 *   - session properties (language, location) are set once per session, and again when the
 *     visitor picks another location;
 *   - logging in sets the custom user id and the user properties;
 *   - product views, "Add to cart" and checkout are app events; checkout is force-reported
 *     because the page navigates away in the same tick;
 *   - the soft back button is a client event: it only feeds campaign triggers.
 *
 * Each page says which one it is in <body data-page="...">; the renderer of that name fills
 * it. Text that comes from data is always written with textContent.
 *
 * The shop keeps its own state (cart, shopper's name, location) in localStorage under keys
 * prefixed "beckon-demo."; Beckon's state is the SDK's business.
 */
(function () {
  'use strict';

  const SITE_ID = 'demo';
  const APP_VERSION = '1.0.0';

  const STORAGE_KEYS = {
    cart: 'beckon-demo.cart',
    shopperName: 'beckon-demo.shopper-name',
    location: 'beckon-demo.location',
    sessionPropertiesSentFor: 'beckon-demo.session-properties-sent-for',
    lastOrder: 'beckon-demo.last-order',
  };

  const LOCATIONS = ['Hyderabad', 'Bengaluru', 'Mumbai', 'Delhi', 'Chennai'];
  const DEFAULT_LOCATION = LOCATIONS[0];

  const CATEGORIES = [
    { id: 'shoes', name: 'Shoes', page: 'shoes.html' },
    { id: 'bags', name: 'Bags', page: 'bags.html' },
  ];

  /** Prices are whole rupees, as in the seed's ADD_TO_CART example. */
  const CATALOGUE = [
    { id: 'trail-runner', name: 'Trail Runner', category: 'shoes', price: 3499, colour: '#2f6f4f' },
    { id: 'city-sneaker', name: 'City Sneaker', category: 'shoes', price: 2299, colour: '#3b5b92' },
    { id: 'canvas-low', name: 'Canvas Low', category: 'shoes', price: 1299, colour: '#c0504d' },
    { id: 'leather-loafer', name: 'Leather Loafer', category: 'shoes', price: 4199, colour: '#7b4a2a' },
    { id: 'court-classic', name: 'Court Classic', category: 'shoes', price: 2799, colour: '#5a5a5a' },
    { id: 'hiking-boot', name: 'Hiking Boot', category: 'shoes', price: 5499, colour: '#8a6d1f' },
    { id: 'slip-on-knit', name: 'Slip-on Knit', category: 'shoes', price: 1899, colour: '#6b4e9b' },
    { id: 'day-backpack', name: 'Day Backpack', category: 'bags', price: 1999, colour: '#24707a' },
    { id: 'laptop-sleeve', name: 'Laptop Sleeve', category: 'bags', price: 999, colour: '#46494c' },
    { id: 'weekend-duffel', name: 'Weekend Duffel', category: 'bags', price: 3299, colour: '#9c5a3c' },
  ];

  const priceFormat = new Intl.NumberFormat('en-IN', {
    style: 'currency',
    currency: 'INR',
    maximumFractionDigits: 0,
  });

  // ---- Beckon -----------------------------------------------------------------------------

  const Beckon = window.Beckon || sdkMissing();

  Beckon.init(SITE_ID, {
    version: APP_VERSION,
    plugins: ['nudges', 'surveys'], // what is published on the site "demo" appears here
    debug: new URLSearchParams(location.search).has('debug'),
  });
  titleProductPage(); // before the page view, which carries the title
  Beckon.logPageView(location.pathname);
  sendSessionPropertiesOncePerSession();

  // A page restored from the back/forward cache is not loaded again, yet the visitor sees it.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      Beckon.logPageView(location.pathname);
      renderHeader();
      if (document.body.dataset.page === 'cart') {
        renderCart(); // the cart may have been checked out since this copy was cached
      }
    }
  });

  /** The shop keeps working, without analytics, when the SDK could not be loaded. */
  function sdkMissing() {
    console.warn('[demo shop] /sdk/beckon-full.js did not load; the shop runs without Beckon');
    const noop = () => undefined;
    return new Proxy({}, { get: () => noop });
  }

  function sessionProperties() {
    return {
      language: (navigator.language || 'en').split('-')[0],
      location: localStorage.getItem(STORAGE_KEYS.location) || DEFAULT_LOCATION,
    };
  }

  /** Session properties describe the session, so they are sent when it starts, not per page. */
  function sendSessionPropertiesOncePerSession() {
    const sessionId = Beckon.getSessionId();
    if (!sessionId || localStorage.getItem(STORAGE_KEYS.sessionPropertiesSentFor) === sessionId) {
      return;
    }
    localStorage.setItem(STORAGE_KEYS.sessionPropertiesSentFor, sessionId);
    Beckon.setSessionProperties(sessionProperties());
  }

  // ---- Catalogue and cart -----------------------------------------------------------------

  function findProduct(id) {
    return CATALOGUE.find((product) => product.id === id) || null;
  }

  function productsOf(categoryId) {
    return CATALOGUE.filter((product) => product.category === categoryId);
  }

  function categoryOf(product) {
    return CATEGORIES.find((category) => category.id === product.category);
  }

  /** The cart is a list of { id, quantity }; unknown ids (an old catalogue) are dropped. */
  function readCart() {
    try {
      const lines = JSON.parse(localStorage.getItem(STORAGE_KEYS.cart) || '[]');
      return Array.isArray(lines) ? lines.filter((line) => findProduct(line.id)) : [];
    } catch (error) {
      return [];
    }
  }

  function writeCart(lines) {
    localStorage.setItem(STORAGE_KEYS.cart, JSON.stringify(lines));
  }

  function addToCart(product) {
    const lines = readCart();
    const line = lines.find((candidate) => candidate.id === product.id);
    if (line) {
      line.quantity += 1;
    } else {
      lines.push({ id: product.id, quantity: 1 });
    }
    writeCart(lines);
  }

  function cartSummary(lines) {
    return lines.reduce(
      (summary, line) => ({
        items: summary.items + line.quantity,
        total: summary.total + line.quantity * findProduct(line.id).price,
      }),
      { items: 0, total: 0 },
    );
  }

  // ---- DOM helpers ------------------------------------------------------------------------

  /** Creates an element; `text` always goes through textContent. */
  function element(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      node.setAttribute(name, value);
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function productPicture(product) {
    const picture = element('div', { class: 'product-picture', 'aria-hidden': 'true' });
    picture.style.backgroundColor = product.colour;
    picture.textContent = product.name
      .split(/[\s-]+/)
      .map((word) => word[0])
      .join('')
      .toUpperCase();
    return picture;
  }

  function productCard(product) {
    const link = element('a', {
      class: 'product-card',
      href: 'product.html?id=' + encodeURIComponent(product.id),
      'data-testid': 'product-link',
      'data-product-id': product.id,
    });
    link.append(
      productPicture(product),
      element('span', { class: 'product-name' }, product.name),
      element('span', { class: 'product-price' }, priceFormat.format(product.price)),
    );
    return link;
  }

  function fillProductGrid(grid, products) {
    grid.replaceChildren(...products.map(productCard));
  }

  // ---- Header (every page) ----------------------------------------------------------------

  function renderHeader() {
    const cartCount = document.getElementById('cart-count');
    if (cartCount) {
      cartCount.textContent = String(cartSummary(readCart()).items);
    }

    const account = document.getElementById('account-link');
    const shopperName = localStorage.getItem(STORAGE_KEYS.shopperName);
    if (account && shopperName) {
      account.textContent = 'Hi, ' + shopperName;
    }

    const locationSelect = document.getElementById('location-select');
    if (locationSelect && locationSelect.options.length === 0) {
      const chosen = sessionProperties().location;
      for (const name of LOCATIONS) {
        const option = element('option', { value: name }, name);
        option.selected = name === chosen;
        locationSelect.append(option);
      }
      locationSelect.addEventListener('change', () => {
        localStorage.setItem(STORAGE_KEYS.location, locationSelect.value);
        Beckon.setSessionProperties(sessionProperties());
      });
    }

    const softBack = document.getElementById('soft-back');
    if (softBack && !softBack.dataset.bound) {
      softBack.dataset.bound = 'true';
      softBack.addEventListener('click', () => {
        Beckon.logClientEvent('SoftBackPressed', { page: location.pathname });
        // A survey or nudge that the press brought up (drawn before this timer runs) keeps the
        // visitor on the page until they are done with it; pressing back again then leaves.
        setTimeout(() => {
          if (!document.querySelector('[data-beckon-survey], [data-beckon-nudge]')) history.back();
        }, 0);
      });
    }
  }

  // ---- Pages ------------------------------------------------------------------------------

  function renderHome() {
    const featured = CATEGORIES.flatMap((category) => productsOf(category.id).slice(0, 2));
    fillProductGrid(document.getElementById('featured-products'), featured);
  }

  function renderCategory() {
    const grid = document.getElementById('category-products');
    fillProductGrid(grid, productsOf(grid.dataset.category));
  }

  /** A product page is titled after its product. */
  function titleProductPage() {
    const product = document.body.dataset.page === 'product' && currentProduct();
    if (product) document.title = product.name + ' · Stride & Carry';
  }

  function currentProduct() {
    return findProduct(new URLSearchParams(location.search).get('id'));
  }

  function renderProduct() {
    const product = currentProduct();
    if (!product) {
      document.getElementById('product-missing').hidden = false;
      return;
    }

    const category = categoryOf(product);
    const breadcrumb = document.getElementById('breadcrumb-category');
    breadcrumb.textContent = category.name;
    breadcrumb.href = category.page;
    document.getElementById('product-picture').replaceWith(productPicture(product));
    document.getElementById('product-name').textContent = product.name;
    document.getElementById('product-price').textContent = priceFormat.format(product.price);
    document.getElementById('product-detail').hidden = false;

    Beckon.logEvent('PRODUCT_VIEWED', {
      id: product.id,
      name: product.name,
      category: product.category,
      price: product.price,
    });

    const addButton = document.getElementById('add-to-cart');
    const confirmation = document.getElementById('added-confirmation');
    addButton.addEventListener('click', () => {
      Beckon.logEvent('ADD_TO_CART', { value: product.price, item: product.name });
      addToCart(product);
      confirmation.hidden = false;
      renderHeader();
    });
  }

  function renderCart() {
    const lines = readCart();
    const summary = cartSummary(lines);
    const list = document.getElementById('cart-lines');
    const checkout = document.getElementById('checkout');

    list.replaceChildren(...lines.map(cartLine));
    document.getElementById('cart-empty').hidden = lines.length > 0;
    document.getElementById('cart-total').textContent = priceFormat.format(summary.total);
    checkout.disabled = lines.length === 0;

    checkout.onclick = () => {
      Beckon.logEvent('CHECKOUT', { value: summary.total, items: summary.items }, true);
      localStorage.setItem(STORAGE_KEYS.lastOrder, JSON.stringify(summary));
      writeCart([]);
      location.href = 'thanks.html';
    };
  }

  function cartLine(line) {
    const product = findProduct(line.id);
    const row = element('li', { class: 'cart-line', 'data-testid': 'cart-line' });
    const remove = element('button', { type: 'button', class: 'link-button' }, 'Remove');
    remove.addEventListener('click', () => {
      writeCart(readCart().filter((candidate) => candidate.id !== line.id));
      renderCart();
      renderHeader();
    });
    row.append(
      productPicture(product),
      element('span', { class: 'product-name' }, product.name),
      element('span', { class: 'quantity' }, '× ' + line.quantity),
      element('span', { class: 'product-price' }, priceFormat.format(line.quantity * product.price)),
      remove,
    );
    return row;
  }

  function renderLogin() {
    const form = document.getElementById('login-form');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const field = (name) => form.elements.namedItem(name);
      const email = field('email').value.trim();
      const name = field('name').value.trim();

      Beckon.setUserId(email);
      Beckon.setUserProperties({
        gender: field('gender').value,
        age: Number(field('age').value),
        isPaidUser: field('isPaidUser').checked,
        creditsLeft: Number(field('creditsLeft').value),
        name,
      });
      localStorage.setItem(STORAGE_KEYS.shopperName, name || email);
      location.href = 'index.html';
    });
  }

  function renderThanks() {
    let order = null;
    try {
      order = JSON.parse(localStorage.getItem(STORAGE_KEYS.lastOrder));
    } catch (error) {
      order = null;
    }
    if (order) {
      document.getElementById('order-items').textContent = String(order.items);
      document.getElementById('order-total').textContent = priceFormat.format(order.total);
      document.getElementById('order-summary').hidden = false;
    }
  }

  const PAGE_RENDERERS = {
    home: renderHome,
    category: renderCategory,
    product: renderProduct,
    cart: renderCart,
    login: renderLogin,
    thanks: renderThanks,
  };

  renderHeader();
  const renderPage = PAGE_RENDERERS[document.body.dataset.page];
  if (renderPage) {
    renderPage();
  }
})();
