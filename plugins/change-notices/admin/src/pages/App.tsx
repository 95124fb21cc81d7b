import * as React from 'react';
import { Route, Routes } from 'react-router-dom';
import { Page } from '@strapi/strapi/admin';
import { NoticeDetailPage } from './NoticeDetailPage';
import { NoticesPage } from './NoticesPage';

/** The plugin's page under /admin/plugins/change-notices: the list (with tabs) and one notice. */
const App = () => (
  <Routes>
    <Route index element={<NoticesPage />} />
    <Route path="notices/:id" element={<NoticeDetailPage />} />
    <Route path="*" element={<Page.Error content="This page does not exist." />} />
  </Routes>
);

export default App;
